using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Router;

/// <summary>The IPv4 router: ports with a MAC and addresses, static routes, ARP, ICMP.</summary>
public sealed class RouterModuleType : IModuleType
{
    public string Name => "router";

    public string ObjectName => "router";

    public int MaxPorts => RouterAbi.MaxPorts;

    public IReadOnlyList<TableInfo> Tables { get; } =
    [
        new("routes", "Routes by prefix: connected (their networks) and local ones (each address as a /32) follow the port addresses, static ones (added here) name a next hop and/or a port",
            "<a.b.c.d>/<len>", Writable: true, Persistent: true),
        new("arp", "ARP table: learned entries age, static ones (added here) never do",
            "<a.b.c.d>", Writable: true, Persistent: true),
    ];

    public JsonObject NormalizeConfig(JsonObject? config) => RouterConfig.Parse(config).ToJson();

    public JsonObject NormalizePortConfig(JsonObject? config) => RouterPortConfig.Parse(config).ToJson();

    public void ValidatePeer(JsonObject portConfig, PeerKind peer)
    {
    }

    public IModuleDatapath Bind(ModuleObject module) => new RouterDatapath(module);
}
