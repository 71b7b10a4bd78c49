using System.Text.Json.Nodes;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Gtp;

/// <summary>
/// Writes a GTP matcher's config and ports into its maps and serves its tables. The config names
/// ports; their indexes are written again whenever a port comes, goes or is linked, so a config
/// may name a port before it exists (its action drops until then). A port a rule forwards to
/// cannot be removed.
/// </summary>
internal sealed class GtpDatapath : IModuleDatapath
{
    private readonly ModuleObject _module;
    private readonly BpfMap<uint, GtpConfig> _configMap;
    private readonly BpfMap<uint, GtpPort> _portMap;
    private readonly RuleTable _rules;
    private readonly CounterTable _counters;
    private readonly StatusTable _status;
    private readonly PuntedTable _punted;
    private readonly PuntLog _puntLog;
    private GtpModuleConfig _config = GtpModuleConfig.Default;

    public GtpDatapath(ModuleObject module)
    {
        _module = module;
        _configMap = new BpfMap<uint, GtpConfig>(module.Map("gtp_cfg"));
        _portMap = new BpfMap<uint, GtpPort>(module.Map("gtp_ports"));
        var rules = new BpfMap<GtpRuleKey, GtpRule>(module.Map("gtp_rules"));
        var ruleStats = new BpfMap<uint, GtpCount>(module.Map("gtp_rule_stats"));
        var ids = new RuleIds(rules.Entries().Select(e => (e.Value.RuleId, GtpMatch.FromKernel(e.Key))));
        _rules = new RuleTable(rules, ruleStats, ids, module.Ports);
        _counters = new CounterTable(rules, ruleStats);
        _status = new StatusTable(new BpfMap<uint, GtpCount>(module.Map("gtp_counters")));
        _puntLog = new PuntLog(module.Ports, ids);
        _punted = new PuntedTable(_puntLog);
    }

    public IModuleSlowPath SlowPath => _puntLog;

    public void ApplyConfig(JsonObject config)
    {
        _config = GtpModuleConfig.Parse(config);
        WriteConfig(removed: null);
    }

    public void ApplyPort(int index, JsonObject config)
    {
        _portMap.Update((uint)index, GtpPortConfig.Parse(config).ToKernel());
        WriteConfig(removed: null);
    }

    public void RemovePort(int index)
    {
        var rules = _rules.ForwardingTo(index);
        if (rules.Count > 0)
        {
            throw new ConfigException("port", $"rules forward out of this port ({string.Join(", ", rules)}): delete or change them first");
        }
        _portMap.Update((uint)index, default);
        WriteConfig(removed: index);
    }

    public void PeerChanged(int index, PortPeer previous, PortPeer current) => WriteConfig(removed: null);

    public IModuleTable Table(string name) => name switch
    {
        "rules" => _rules,
        "counters" => _counters,
        "status" => _status,
        "punted" => _punted,
        _ => throw new KeyNotFoundException($"gtp has no table '{name}'"),
    };

    public void Maintain()
    {
    }

    /// <summary>Writes the config with its port names resolved; <paramref name="removed"/> is a port
    /// on its way out, which the names no longer reach even though the graph still lists it.</summary>
    private void WriteConfig(int? removed) =>
        _configMap.Update(0, _config.ToKernel(name => _module.Ports.IndexOf(name) is { } i && i != removed ? i : null));
}
