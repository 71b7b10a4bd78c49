using System.Text.Json.Nodes;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.Nat;

/// <summary>A NAT's module config: the MAC that ARP answers for external addresses carry (null:
/// the MAC seen on the inside port, i.e. the router's) and its connection tracking (timeouts, table size).</summary>
public sealed record NatModuleConfig(MacAddress? ExternalMac, ConntrackSettings Conntrack)
{
    public static NatModuleConfig Parse(JsonObject? config)
    {
        var errors = new ConfigErrors("config");
        var reader = new ConfigReader(config, errors);
        reader.RejectUnknown("externalMac", "conntrack");
        MacAddress? mac = null;
        if (reader.Text("externalMac", null) is { } text)
        {
            if (MacAddress.TryParse(text, out var parsed) && !parsed.IsMulticast && parsed.Value != 0)
            {
                mac = parsed;
            }
            else
            {
                errors.Add("externalMac", "must be a unicast MAC address like 02:00:00:00:00:01");
            }
        }
        var conntrack = ConntrackSettings.Parse(config?["conntrack"], errors);
        errors.ThrowIfAny();
        return new NatModuleConfig(mac, conntrack);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (ExternalMac is { } mac)
        {
            json["externalMac"] = mac.ToString();
        }
        json["conntrack"] = Conntrack.ToJson();
        return json;
    }
}
