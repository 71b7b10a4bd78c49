using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Firewall;

/// <summary>A firewall port: the inside one faces what the firewall protects (a workload, the
/// logical switch port in OVN terms), the outside one everything else.</summary>
public sealed record FirewallPortConfig(bool Inside)
{
    public static FirewallPortConfig Parse(JsonObject? config)
    {
        var reader = new ConfigReader(config, new ConfigErrors("config"));
        reader.RejectUnknown("role");
        var role = reader.Text("role", null);
        if (role is null)
        {
            reader.Errors.Add("role", "required: inside or outside");
        }
        else if (role is not ("inside" or "outside"))
        {
            reader.Errors.Add("role", "must be one of: inside, outside");
        }
        reader.Errors.ThrowIfAny();
        return new FirewallPortConfig(role == "inside");
    }

    public string Role => Inside ? "inside" : "outside";

    public JsonObject ToJson() => new() { ["role"] = Role };
}
