using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Bridge;

/// <summary>A bridge port: access (untagged, one VLAN) or trunk (tagged VLANs, optional native VLAN).</summary>
public sealed record BridgePortConfig(uint Mode, ushort Pvid, IReadOnlyList<ushort> Vlans)
{
    public static BridgePortConfig Parse(JsonObject? config)
    {
        var reader = new ConfigReader(config, new ConfigErrors("config"));
        reader.RejectUnknown("mode", "vlan", "vlans", "nativeVlan");
        var mode = reader.OneOf("mode", "access", "access", "trunk");
        BridgePortConfig result;
        if (mode == "access")
        {
            if (reader.Has("vlans") || reader.Has("nativeVlan"))
            {
                reader.Errors.Add("mode", "vlans and nativeVlan need mode trunk");
            }
            result = new(BridgeAbi.PortAccess, (ushort)reader.Integer("vlan", 1, 1, 4094), []);
        }
        else
        {
            if (reader.Has("vlan"))
            {
                reader.Errors.Add("vlan", "a trunk port takes vlans and nativeVlan");
            }
            var native = (ushort)reader.Integer("nativeVlan", 0, 0, 4094);
            var vlans = reader.Integers("vlans", 1, 4094).Select(v => (ushort)v).Distinct().Order().ToList();
            if (vlans.Count == 0 && native == 0)
            {
                reader.Errors.Add("vlans", "a trunk port needs at least one VLAN or a nativeVlan");
            }
            result = new(BridgeAbi.PortTrunk, native, vlans);
        }
        reader.Errors.ThrowIfAny();
        return result;
    }

    public JsonObject ToJson() => Mode == BridgeAbi.PortAccess
        ? new JsonObject { ["mode"] = "access", ["vlan"] = Pvid }
        : new JsonObject
        {
            ["mode"] = "trunk",
            ["vlans"] = new JsonArray(Vlans.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
            ["nativeVlan"] = Pvid,
        };

    public unsafe BridgePort ToKernel()
    {
        var port = new BridgePort { Mode = Mode, Pvid = Pvid };
        foreach (var vid in Vlans)
        {
            port.Vlans[vid >> 6] |= 1UL << (vid & 63);
        }
        return port;
    }
}
