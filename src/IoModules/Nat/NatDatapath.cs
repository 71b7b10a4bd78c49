using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.Nat;

/// <summary>
/// Writes a NAT's config and ports into its maps and serves its tables. nat_cfg holds both the
/// module config (external MAC) and the ports (which index is inside, which outside, the outside
/// address); each is changed in place by reading the kernel's copy, so re-applying one of them
/// after a restart never clears the other while traffic flows.
/// </summary>
internal sealed class NatDatapath : IModuleDatapath
{
    private readonly ModuleObject _module;
    private readonly BpfMap<uint, NatConfig> _cfg;
    private readonly BpfMap<uint, CtTimeouts> _timeouts;
    private readonly BpfMap<uint, NatArpEntry> _arp;
    private readonly NatRuleTable _rules;
    private readonly ConntrackTable _sessions;
    private ImmutableDictionary<int, NatPortConfig> _ports = ImmutableDictionary<int, NatPortConfig>.Empty;

    public NatDatapath(ModuleObject module)
    {
        _module = module;
        _cfg = new BpfMap<uint, NatConfig>(module.Map("nat_cfg"));
        _timeouts = new BpfMap<uint, CtTimeouts>(module.Map("nat_ct_cfg"));
        _arp = new BpfMap<uint, NatArpEntry>(module.Map("nat_arp"));
        _rules = new NatRuleTable(this,
            new BpfMap<NatSnatKey, NatSnatRule>(module.Map("nat_snat")),
            new BpfMap<NatDnatKey, NatDnatRule>(module.Map("nat_dnat")));
        _sessions = new ConntrackTable(
            new BpfMap<CtKey, CtEntry>(module.Map("nat_ct")),
            new BpfMap<CtKey, CtKey>(module.Map("nat_ct_reply")),
            _timeouts,
            Describe);
    }

    private Ipv4Address? OutsideAddress => _ports.Values.FirstOrDefault(p => p.Role == NatRole.Outside)?.Address;

    public unsafe void ApplyConfig(JsonObject config)
    {
        var parsed = NatModuleConfig.Parse(config);
        _timeouts.Update(0, parsed.Conntrack.ToKernel());
        var cfg = KernelConfig();
        var mac = new Span<byte>(cfg.ExternalMac, 6);
        if (parsed.ExternalMac is { } m)
        {
            m.CopyTo(mac);
        }
        else
        {
            mac.Clear();
        }
        _cfg.Update(0, cfg);
    }

    public void ApplyPort(int index, JsonObject config)
    {
        var port = NatPortConfig.Parse(config);
        CheckPort(index, port);
        var cfg = KernelConfig();
        Unset(ref cfg, index);
        if (port.Role == NatRole.Inside)
        {
            cfg.InsidePort = (uint)index;
            cfg.Ports |= NatAbi.HasInside;
        }
        else
        {
            cfg.OutsidePort = (uint)index;
            cfg.OutsideAddr = port.Address?.ToKernel() ?? 0;
            cfg.Ports |= NatAbi.HasOutside;
        }
        _ports = _ports.SetItem(index, port);
        WriteConfigAndArp(cfg);
    }

    public void RemovePort(int index)
    {
        if (_ports.TryGetValue(index, out var port) && port.Role == NatRole.Outside && HasMasquerade())
        {
            throw new ConfigException("name", "masquerade rules translate to the outside port's address; delete them first");
        }
        var cfg = KernelConfig();
        Unset(ref cfg, index);
        _ports = _ports.Remove(index);
        WriteConfigAndArp(cfg);
    }

    public void PeerChanged(int index, PortPeer previous, PortPeer current)
    {
    }

    public IModuleTable Table(string name) => name switch
    {
        "rules" => _rules,
        "sessions" => _sessions,
        _ => throw new KeyNotFoundException($"nat has no table '{name}'"),
    };

    public void Maintain() => _sessions.RemoveExpired();

    /// <summary>What a rule needs from the ports.</summary>
    internal void CheckRule(NatRule rule, ConfigErrors errors)
    {
        var outside = OutsideAddress;
        if (rule.Type == NatRuleType.Masquerade && outside is null)
        {
            errors.Add("type", "masquerade needs an outside port with an address");
        }
        if (rule.Type == NatRuleType.DnatAndSnat && outside == rule.ExternalFirst)
        {
            errors.Add("externalIp", "is the outside port's address, which the router behind the NAT owns; dnat_and_snat needs an address of its own");
        }
    }

    /// <summary>Writes nat_arp: the external addresses of the rules, but the outside port's (the
    /// router behind the NAT answers for that one).</summary>
    internal void WriteArp(IEnumerable<NatRule> rules, MapEdits edits)
    {
        var outside = OutsideAddress?.ToKernel();
        var wanted = rules.SelectMany(r => r.ExternalAddresses)
            .Select(a => a.ToKernel())
            .Where(a => a != outside)
            .GroupBy(a => a)
            .ToDictionary(g => g.Key, g => new NatArpEntry { Rules = (uint)g.Count() });
        foreach (var stale in _arp.Keys().Where(a => !wanted.ContainsKey(a)).ToList())
        {
            edits.Remove(_arp, stale);
        }
        foreach (var (address, entry) in wanted)
        {
            if (!_arp.TryLookup(address, out var current) || current.Rules != entry.Rules)
            {
                edits.Set(_arp, address, entry);
            }
        }
    }

    private NatConfig KernelConfig() => _cfg.TryLookup(0, out var cfg) ? cfg : default;

    private static void Unset(ref NatConfig cfg, int index)
    {
        if ((cfg.Ports & NatAbi.HasInside) != 0 && cfg.InsidePort == index)
        {
            cfg.Ports &= ~NatAbi.HasInside;
        }
        if ((cfg.Ports & NatAbi.HasOutside) != 0 && cfg.OutsidePort == index)
        {
            cfg.Ports &= ~NatAbi.HasOutside;
            cfg.OutsideAddr = 0;
        }
    }

    private void WriteConfigAndArp(NatConfig cfg)
    {
        _cfg.Update(0, cfg);
        WriteArp(_rules.Rules(), new MapEdits());
    }

    /// <summary>One port of each role, and an outside address that the rules can live with.</summary>
    private void CheckPort(int index, NatPortConfig port)
    {
        var errors = new ConfigErrors("config");
        var role = port.Role == NatRole.Inside ? "inside" : "outside";
        foreach (var (other, config) in _ports.Where(p => p.Key != index))
        {
            if (config.Role == port.Role)
            {
                errors.Add("role", $"the NAT has an {role} port already: '{_module.Ports.NameOf(other) ?? other.ToString(System.Globalization.CultureInfo.InvariantCulture)}'");
            }
        }
        var rules = _rules.Rules();
        var wasOutside = _ports.TryGetValue(index, out var previous) && previous.Role == NatRole.Outside;
        if (wasOutside && port.Address is null && rules.Any(r => r.Type == NatRuleType.Masquerade))
        {
            errors.Add(port.Role == NatRole.Outside ? "address" : "role", "masquerade rules translate to the outside port's address; delete them first");
        }
        if (port.Address is { } address && rules.FirstOrDefault(r => r.Type == NatRuleType.DnatAndSnat && r.ExternalFirst == address) is { } clash)
        {
            errors.Add("address", $"is the external address of rule \"{clash.Key}\"");
        }
        errors.ThrowIfAny();
    }

    private bool HasMasquerade() => _rules.Rules().Any(r => r.Type == NatRuleType.Masquerade);

    private unsafe void Describe(CtEntry entry, JsonObject json)
    {
        json["type"] = entry.Data[NatAbi.CtType] is >= 1 and <= 4 and var t ? ((NatRuleType)t).Name() : null;
        json["rule"] = _rules.KeyOf(entry.Data[NatAbi.CtRule]);
        json["from"] = entry.Data[NatAbi.CtSide] == NatAbi.SideOutside ? "outside" : "inside";
    }
}
