using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Bridge;

/// <summary>The learning bridge: config {agingSeconds}, ports access or trunk, table fdb.</summary>
public sealed class BridgeModuleType : IModuleType
{
    public const int DefaultAgingSeconds = 300;

    public string Name => "bridge";

    public string ObjectName => "bridge";

    public int MaxPorts => BridgeAbi.MaxPorts;

    public IReadOnlyList<TableInfo> Tables { get; } =
    [
        new("fdb", "MAC learning table: learned entries age, static ones (added here) never do",
            "<mac>@<vlan>", Writable: true, Persistent: true),
    ];

    public JsonObject NormalizeConfig(JsonObject? config)
    {
        var reader = new ConfigReader(config, new ConfigErrors("config"));
        reader.RejectUnknown("agingSeconds");
        var aging = reader.Integer("agingSeconds", DefaultAgingSeconds, 0, 1_000_000);
        reader.Errors.ThrowIfAny();
        return new JsonObject { ["agingSeconds"] = aging };
    }

    public JsonObject NormalizePortConfig(JsonObject? config) => BridgePortConfig.Parse(config).ToJson();

    public void ValidatePeer(JsonObject portConfig, PeerKind peer)
    {
        if (peer == PeerKind.Module && BridgePortConfig.Parse(portConfig).Mode == BridgeAbi.PortTrunk)
        {
            throw new ConfigException("from", "a bridge trunk port can only be linked to a netdev");
        }
    }

    public IModuleDatapath Bind(ModuleObject module) => new BridgeDatapath(module);
}
