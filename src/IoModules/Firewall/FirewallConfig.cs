using System.Text.Json.Nodes;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.Firewall;

/// <summary>A firewall's module config: what happens to packets no rule matches (allow, as OVN
/// without ACLs, or drop), the connection tracking of committed connections (timeouts, table size), and how many rejects per
/// second the slow path answers.</summary>
public sealed record FirewallConfig(RuleAction DefaultAction, ConntrackSettings Conntrack, int RejectsPerSecond)
{
    public static FirewallConfig Default { get; } = Parse(null);

    public static FirewallConfig Parse(JsonObject? config)
    {
        var errors = new ConfigErrors("config");
        var reader = new ConfigReader(config, errors);
        reader.RejectUnknown("defaultAction", "conntrack", "rejectsPerSecond");
        var defaultAction = reader.OneOf("defaultAction", "allow", "allow", "drop");
        var rejects = reader.Integer("rejectsPerSecond", 1000, 0, 1_000_000);
        var conntrack = ConntrackSettings.Parse(config?["conntrack"], errors);
        errors.ThrowIfAny();
        return new FirewallConfig(defaultAction == "drop" ? RuleAction.Drop : RuleAction.Allow, conntrack, (int)rejects);
    }

    public JsonObject ToJson() => new()
    {
        ["defaultAction"] = DefaultAction.Name(),
        ["conntrack"] = Conntrack.ToJson(),
        ["rejectsPerSecond"] = (long)RejectsPerSecond,
    };
}
