using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.L4lb;

/// <summary>
/// Drives one load balancer: the port roles into lb_cfg, the conntrack timeouts into lb_ct_cfg,
/// the Maglev table size into every service; the services, backends and sessions tables.
/// </summary>
internal sealed class L4lbDatapath : IModuleDatapath
{
    private readonly ModuleObject _module;
    private readonly L4lbMaps _maps;
    private readonly ServicePool _pool;
    private readonly ServiceTable _services;
    private readonly BackendTable _backends;
    private readonly ConntrackTable _sessions;
    private ImmutableDictionary<int, PortRole> _roles = ImmutableDictionary<int, PortRole>.Empty;

    public L4lbDatapath(ModuleObject module)
    {
        _module = module;
        _maps = new L4lbMaps(module);
        _pool = new ServicePool(_maps);
        _services = new ServiceTable(_pool, _maps);
        _backends = new BackendTable(_pool);
        _sessions = new ConntrackTable(_maps.Connections, _maps.Replies, _maps.Timeouts, SessionDescription.Describe);
    }

    public void ApplyConfig(JsonObject config)
    {
        var parsed = L4lbConfig.Parse(config);
        _maps.Timeouts.Update(0, parsed.Conntrack.ToKernel());
        _pool.Resize(parsed.MaglevTableSize);
    }

    public void ApplyPort(int index, JsonObject config)
    {
        var role = L4lbPortConfig.Parse(config);
        if (_roles.Where(r => r.Value == role && r.Key != index).Select(r => (int?)r.Key).FirstOrDefault() is { } other)
        {
            var name = _module.Ports.NameOf(other) ?? other.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new ConfigException("config.role", $"port '{name}' is the {L4lbPortConfig.Name(role)} port already; a load balancer has one of each");
        }
        WriteRoles(_roles.SetItem(index, role));
    }

    public void RemovePort(int index) => WriteRoles(_roles.Remove(index));

    public void PeerChanged(int index, PortPeer previous, PortPeer current)
    {
    }

    public IModuleTable Table(string name) => name switch
    {
        "services" => _services,
        "backends" => _backends,
        "sessions" => _sessions,
        _ => throw new KeyNotFoundException($"l4lb has no table '{name}'"),
    };

    public void Maintain()
    {
        _sessions.RemoveExpired();
        _pool.Tidy();
    }

    private void WriteRoles(ImmutableDictionary<int, PortRole> roles)
    {
        uint PortOf(PortRole role) => roles.Where(r => r.Value == role).Select(r => (uint)r.Key).DefaultIfEmpty(L4lbAbi.PortNone).First();
        _maps.Config.Update(0, new LbConfig { FrontPort = PortOf(PortRole.Front), BackPort = PortOf(PortRole.Back) });
        _roles = roles;
    }
}
