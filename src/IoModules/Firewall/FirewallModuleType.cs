using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Firewall;

/// <summary>The firewall: a bump in the wire with an inside and an outside port, rules as OVN ACLs
/// (priority, direction, match, allow / allow-related / drop / reject) and its connections.</summary>
public sealed class FirewallModuleType : IModuleType
{
    public string Name => "firewall";

    public string ObjectName => "firewall";

    public int MaxPorts => FirewallAbi.MaxPorts;

    public IReadOnlyList<TableInfo> Tables { get; } =
    [
        new("rules", "Rules {key?, name?, priority 0-32767, direction ingress|egress, action allow|allow-related|drop|reject, " +
            "src?, dst?, protocol?, sport?, dport?, icmpType?, icmpCode?, tcpFlags?, ctState?}; listed with hit counters; PUT the collection to replace all",
            "<rule id>", Writable: true, Persistent: true),
        new("connections", "Connections committed by allow-related rules (read-only; delete one or flush); filter with ?proto=tcp&direction=egress",
            "<proto> <src>:<sport> > <dst>:<dport> | icmp <src> > <dst> id <id>", Writable: false, Persistent: false),
    ];

    public JsonObject NormalizeConfig(JsonObject? config) => FirewallConfig.Parse(config).ToJson();

    public IReadOnlyDictionary<string, uint> MapSizesFor(JsonObject config) => FirewallConfig.Parse(config).MapSizes();

    public JsonObject NormalizePortConfig(JsonObject? config) => FirewallPortConfig.Parse(config).ToJson();

    public void ValidatePeer(JsonObject portConfig, PeerKind peer)
    {
    }

    public IModuleDatapath Bind(ModuleObject module) => new FirewallDatapath(module);
}
