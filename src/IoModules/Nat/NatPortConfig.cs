using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Nat;

public enum NatRole
{
    Inside,
    Outside,
}

/// <summary>A NAT port: the inside one, or the outside one with the address masquerade uses (the
/// address of what the NAT's outside faces for the inside hosts, typically the router port behind
/// the inside port).</summary>
public sealed record NatPortConfig(NatRole Role, Ipv4Address? Address)
{
    public static NatPortConfig Parse(JsonObject? config)
    {
        var reader = new ConfigReader(config, new ConfigErrors("config"));
        reader.RejectUnknown("role", "address");
        string? role = reader.Text("role", null);
        if (role is null)
        {
            reader.Errors.Add("role", "required: inside or outside");
        }
        else if (role is not ("inside" or "outside"))
        {
            reader.Errors.Add("role", "must be one of: inside, outside");
        }
        Ipv4Address? address = null;
        if (reader.Text("address", null) is { } text)
        {
            if (role == "inside")
            {
                reader.Errors.Add("address", "only the outside port has an address");
            }
            else if (!Ipv4Address.TryParse(text, out var parsed) || parsed.IsZero || parsed.IsMulticastOrBroadcast || parsed.IsLoopback)
            {
                reader.Errors.Add("address", "must be a unicast IPv4 address like 192.0.2.1");
            }
            else
            {
                address = parsed;
            }
        }
        reader.Errors.ThrowIfAny();
        return new NatPortConfig(role == "outside" ? NatRole.Outside : NatRole.Inside, address);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["role"] = Role == NatRole.Outside ? "outside" : "inside" };
        if (Address is { } a)
        {
            json["address"] = a.ToString();
        }
        return json;
    }
}
