using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Gtp;

/// <summary>A GTP matcher port: optionally the destination MAC written into every frame the
/// module sends out of it (the next hop behind the port: a GTP endpoint, or a router port that
/// only takes frames addressed to it). Without one, frames leave as they came.</summary>
public sealed record GtpPortConfig(MacAddress? Mac)
{
    public static GtpPortConfig Parse(JsonObject? config)
    {
        var reader = new ConfigReader(config, new ConfigErrors("config"));
        reader.RejectUnknown("mac");
        var text = reader.Text("mac", null);
        MacAddress? mac = null;
        if (text is not null)
        {
            if (MacAddress.TryParse(text, out var parsed) && !parsed.IsMulticast && parsed.Value != 0)
            {
                mac = parsed;
            }
            else
            {
                reader.Errors.Add("mac", "must be a unicast MAC address like 02:00:00:00:00:01");
            }
        }
        reader.Errors.ThrowIfAny();
        return new GtpPortConfig(mac);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (Mac is { } mac)
        {
            json["mac"] = mac.ToString();
        }
        return json;
    }

    public unsafe GtpPort ToKernel()
    {
        var port = new GtpPort();
        if (Mac is { } mac)
        {
            mac.CopyTo(new Span<byte>(port.Dmac, 6));
            port.Flags = GtpAbi.PortSetDmac;
        }
        return port;
    }
}
