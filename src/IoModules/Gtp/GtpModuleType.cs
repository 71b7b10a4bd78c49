using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Gtp;

/// <summary>The GTP matcher: steers GTPv2-C and GTPv1-U messages by TEID (and message type) to
/// ports, drops them or punts them, with per-rule counters and a log of what it punted.</summary>
public sealed class GtpModuleType : IModuleType
{
    public string Name => "gtp";

    public string ObjectName => "gtp";

    public int MaxPorts => GtpAbi.MaxPorts;

    public IReadOnlyList<TableInfo> Tables { get; } =
    [
        new("rules", "Rules by TEID, version and message type (or any): {version, teid, messageType, action: forward|drop|punt, port}",
            GtpMatch.KeyFormat, Writable: true, Persistent: true),
        new("counters", "Packets and bytes each rule matched; deleting an entry zeroes it",
            GtpMatch.KeyFormat, Writable: false, Persistent: false),
        new("status", "Messages seen by kind: gtpv1u, gtpv2c, unmatched, nonGtp, malformed.<fault> and their sum malformed",
            "<counter>", Writable: false, Persistent: false),
        new("punted", $"The last {PuntLog.Capacity} punted messages: time, port, reason, rule, version, type, TEID, sequence, addresses",
            "<number>", Writable: false, Persistent: false),
    ];

    public JsonObject NormalizeConfig(JsonObject? config) => GtpModuleConfig.Parse(config).ToJson();

    public JsonObject NormalizePortConfig(JsonObject? config) => GtpPortConfig.Parse(config).ToJson();

    public void ValidatePeer(JsonObject portConfig, PeerKind peer)
    {
    }

    public IModuleDatapath Bind(ModuleObject module) => new GtpDatapath(module);
}
