using System.Text.Json.Nodes;

namespace IoVisor.IoModules.L4lb;

/// <summary>The side of the balancer a port is on.</summary>
public enum PortRole
{
    /// <summary>Faces the clients: packets to a VIP coming in here are balanced.</summary>
    Front,

    /// <summary>Faces the servers: replies of translated connections coming in here are translated back.</summary>
    Back,
}

/// <summary>A load balancer port: {"role": "front" | "back"}.</summary>
public static class L4lbPortConfig
{
    public static PortRole Parse(JsonObject? config)
    {
        var reader = new ConfigReader(config, new ConfigErrors("config"));
        reader.RejectUnknown("role");
        if (!reader.Has("role"))
        {
            reader.Errors.Add("role", "required: front (the clients' side) or back (the servers' side)");
        }
        var role = reader.OneOf("role", "front", "front", "back");
        reader.Errors.ThrowIfAny();
        return role == "back" ? PortRole.Back : PortRole.Front;
    }

    public static JsonObject ToJson(PortRole role) => new() { ["role"] = Name(role) };

    public static string Name(PortRole role) => role == PortRole.Back ? "back" : "front";
}
