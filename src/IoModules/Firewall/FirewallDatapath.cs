using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.Firewall;

/// <summary>
/// Writes a firewall's config and ports into its maps and serves its tables. The rules and the
/// connections live in pinned maps: binding takes over the set in force, and re-applying the same
/// config and ports after a restart changes nothing traffic depends on.
/// </summary>
internal sealed class FirewallDatapath : IModuleDatapath
{
    private readonly ModuleObject _module;
    private readonly BpfMap<uint, FwPort> _portMap;
    private readonly BpfMap<uint, CtTimeouts> _timeouts;
    private readonly RuleSetInstaller _installer;
    private readonly RuleTable _rules;
    private readonly ConntrackTable _connections;
    private readonly FirewallSlowPath _slowPath;
    private volatile FirewallConfig _config = FirewallConfig.Default;
    private ImmutableDictionary<int, FirewallPortConfig> _ports = ImmutableDictionary<int, FirewallPortConfig>.Empty;

    public FirewallDatapath(ModuleObject module)
    {
        _module = module;
        _portMap = new BpfMap<uint, FwPort>(module.Map("fw_ports"));
        _timeouts = new BpfMap<uint, CtTimeouts>(module.Map("fw_ct_cfg"));
        var generations = new ClassifierGenerations(
            new BpfMap<uint, uint>(module.Map("fw_gen")),
            new BpfMap<FwKey, FwVerdict>(module.Map("fw_keys")),
            new BpfMap<uint, FwSet>(module.Map("fw_sets")),
            new BpfMap<uint, uint>(module.Map("fw_live")),
            new PacketEpoch(new BpfMap<uint, FwEpoch>(module.Map("fw_epoch"))));
        _installer = new RuleSetInstaller(generations,
            new RuleSlots(new BpfMap<uint, FwRule>(module.Map("fw_rules")), new BpfMap<uint, FwHits>(module.Map("fw_hits"))));
        if (module.NewMaps)
        {
            _installer.Start();
        }
        else
        {
            _installer.Load();
        }
        _rules = new RuleTable(_installer);
        _connections = new ConntrackTable(
            new BpfMap<CtKey, CtEntry>(module.Map("fw_ct")),
            new BpfMap<CtKey, CtKey>(module.Map("fw_ct_reply")),
            _timeouts,
            Describe);
        _slowPath = new FirewallSlowPath(() => _config.RejectsPerSecond);
    }

    public IModuleSlowPath SlowPath => _slowPath;

    public void ApplyConfig(JsonObject config)
    {
        var parsed = FirewallConfig.Parse(config);
        _timeouts.Update(0, parsed.Conntrack.ToKernel());
        var set = _installer.Current;
        _installer.Install(set.Rules.Values.Select(r => r.Rule).ToList(), parsed.DefaultAction, "config.defaultAction");
        _config = parsed;
    }

    public void ApplyPort(int index, JsonObject config)
    {
        var port = FirewallPortConfig.Parse(config);
        var errors = new ConfigErrors("config");
        foreach (var (other, existing) in _ports.Where(p => p.Key != index && p.Value.Inside == port.Inside))
        {
            errors.Add("role", $"the firewall has an {port.Role} port already: '{_module.Ports.NameOf(other) ?? other.ToString(CultureInfo.InvariantCulture)}'");
        }
        errors.ThrowIfAny();
        _ports = _ports.SetItem(index, port);
        WritePorts();
    }

    public void RemovePort(int index)
    {
        _ports = _ports.Remove(index);
        WritePorts();
    }

    public void PeerChanged(int index, PortPeer previous, PortPeer current)
    {
    }

    public IModuleTable Table(string name) => name switch
    {
        "rules" => _rules,
        "connections" => _connections,
        _ => throw new KeyNotFoundException($"firewall has no table '{name}'"),
    };

    public void Maintain() => _connections.RemoveExpired();

    /// <summary>Each port's role and the port its packets leave by: the other one, once it exists.</summary>
    private void WritePorts()
    {
        for (var index = 0; index < FirewallAbi.MaxPorts; index++)
        {
            var value = new FwPort { Role = 0, Peer = FirewallAbi.PortNone };
            if (_ports.TryGetValue(index, out var port))
            {
                value.Role = port.Inside ? FirewallAbi.RoleInside : FirewallAbi.RoleOutside;
                var other = _ports.Where(p => p.Value.Inside != port.Inside).Select(p => (int?)p.Key).FirstOrDefault();
                value.Peer = other is { } o ? (uint)o : FirewallAbi.PortNone;
            }
            _portMap.Update((uint)index, value);
        }
    }

    /// <summary>The rule that committed a connection (null once it is gone or replaced) and the way
    /// its first packet went.</summary>
    private unsafe void Describe(CtEntry entry, JsonObject json)
    {
        json["rule"] = _installer.Current.At((int)entry.Data[FirewallAbi.CtSlot], entry.Data[FirewallAbi.CtSerial])?.Rule.Key;
        json["direction"] = ((RuleDirection)entry.Data[FirewallAbi.CtDirection]).Name();
    }
}
