using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Nat;

/// <summary>The NAT: a bump in the wire with an inside and an outside port, rules as OVN has them
/// (snat, masquerade, dnat, dnat_and_snat) and its connections.</summary>
public sealed class NatModuleType : IModuleType
{
    public string Name => "nat";

    public string ObjectName => "nat";

    public int MaxPorts => NatAbi.MaxPorts;

    public IReadOnlyList<TableInfo> Tables { get; } =
    [
        new("rules", "NAT rules: snat {logicalIp prefix, externalIp address or range, externalPortRange}, masquerade {logicalIp prefix}, " +
            "dnat {externalIp, logicalIp, protocol + externalPort + logicalPort for a port forward}, dnat_and_snat {externalIp, logicalIp}",
            "snat|masquerade <prefix>, dnat [tcp|udp] <address>[:<port>], dnat_and_snat <address>", Writable: true, Persistent: true),
        new("sessions", "Translated connections (read-only; delete one or flush); filter with ?proto=tcp&src=10.0.1.2",
            "<proto> <src>:<sport> > <dst>:<dport> | icmp <src> > <dst> id <id>", Writable: false, Persistent: false),
    ];

    public JsonObject NormalizeConfig(JsonObject? config) => NatModuleConfig.Parse(config).ToJson();

    public IReadOnlyDictionary<string, uint> MapSizesFor(JsonObject config) => NatModuleConfig.Parse(config).Conntrack.MapSizes("nat");

    public JsonObject NormalizePortConfig(JsonObject? config) => NatPortConfig.Parse(config).ToJson();

    public void ValidatePeer(JsonObject portConfig, PeerKind peer)
    {
    }

    public IModuleDatapath Bind(ModuleObject module) => new NatDatapath(module);
}
