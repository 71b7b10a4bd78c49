using System.Text.Json.Nodes;

namespace IoVisor.IoModules.L4lb;

/// <summary>The L4 load balancer: virtual services (vip:port, TCP or UDP) spread over weighted
/// backends by Maglev consistent hashing, in DNAT or DSR mode, with a connection table that keeps
/// every open connection on its backend. Two ports: front (clients) and back (servers).</summary>
public sealed class L4lbModuleType : IModuleType
{
    public string Name => "l4lb";

    public string ObjectName => "l4lb";

    public int MaxPorts => 2;

    /// <summary>In this order: a daemon that re-applies its desired state writes the services
    /// before the backends that name them.</summary>
    public IReadOnlyList<TableInfo> Tables { get; } =
    [
        new("services", "Virtual services {vip, port, protocol: tcp|udp, mode: dnat|dsr}; a service is deleted once it has no backends",
            ServiceKey.Format, Writable: true, Persistent: true),
        new("backends", "Backends of a service {service, address, port, weight: 0..1000, healthy, mac (dsr)}; weight 0 or healthy false: no new connections, open ones stay",
            BackendSpec.Format, Writable: true, Persistent: true),
        new("sessions", "Tracked connections and the backend each was given; deleting one lets its next packet be balanced afresh",
            "<proto> <src>:<sport> > <dst>:<dport>", Writable: false, Persistent: false),
    ];

    public JsonObject NormalizeConfig(JsonObject? config) => L4lbConfig.Parse(config).ToJson();

    public IReadOnlyDictionary<string, uint> MapSizesFor(JsonObject config) => L4lbConfig.Parse(config).Conntrack.MapSizes("lb");

    public JsonObject NormalizePortConfig(JsonObject? config) => L4lbPortConfig.ToJson(L4lbPortConfig.Parse(config));

    public void ValidatePeer(JsonObject portConfig, PeerKind peer)
    {
    }

    public IModuleDatapath Bind(ModuleObject module) => new L4lbDatapath(module);
}
