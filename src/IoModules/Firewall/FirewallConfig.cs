using System.Text.Json.Nodes;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.Firewall;

/// <summary>A firewall's module config: what happens to packets no rule matches (allow, as OVN
/// without ACLs, or drop), the connection tracking of committed connections (timeouts, table size), how many rejects per
/// second the slow path answers, and how many rules the firewall can hold (and with them how many
/// classifier keys).</summary>
public sealed record FirewallConfig(RuleAction DefaultAction, ConntrackSettings Conntrack, int RejectsPerSecond, int MaxRules)
{
    /// <summary>Each rule needs two slots (a set is replaced while the old one is in force), and each
    /// slot's hit counter is one per-CPU allocation when the map is made: a firewall of 16,384 rules
    /// costs ~20 ms to create, one of 256 almost nothing.</summary>
    public const int MinRules = 16, MaxMaxRules = FirewallAbi.MaxSlots / 2;

    /// <summary>Classifier keys a generation can hold for each rule, on average: a rule expands to one
    /// key per port block and state it matches (at most <see cref="RuleExpansion.MaxEntriesPerRule"/>).
    /// The keys' hash table is made with a bucket for each key it can hold, 2 MiB at the most: a
    /// firewall of 256 rules needs only a quarter of it.</summary>
    public const int KeysPerRule = 64;

    /// <summary>The classifier keys one generation holds at most.</summary>
    public int GenerationKeys => Math.Min(FirewallAbi.GenerationKeys, KeysPerRule * MaxRules);

    public static FirewallConfig Default { get; } = Parse(null);

    public static FirewallConfig Parse(JsonObject? config)
    {
        var errors = new ConfigErrors("config");
        var reader = new ConfigReader(config, errors);
        reader.RejectUnknown("defaultAction", "conntrack", "rejectsPerSecond", "maxRules");
        var defaultAction = reader.OneOf("defaultAction", "allow", "allow", "drop");
        var rejects = reader.Integer("rejectsPerSecond", 1000, 0, 1_000_000);
        var maxRules = reader.Integer("maxRules", MaxMaxRules, MinRules, MaxMaxRules);
        var conntrack = ConntrackSettings.Parse(config?["conntrack"], errors);
        errors.ThrowIfAny();
        return new FirewallConfig(defaultAction == "drop" ? RuleAction.Drop : RuleAction.Allow, conntrack, (int)rejects, (int)maxRules);
    }

    /// <summary>The connection tables' sizes, the rule slots' (fw_live holds each slot once per generation)
    /// and the classifier keys' (both generations').</summary>
    public IReadOnlyDictionary<string, uint> MapSizes() => new Dictionary<string, uint>(Conntrack.MapSizes("fw"), StringComparer.Ordinal)
    {
        ["fw_rules"] = (uint)(2 * MaxRules),
        ["fw_hits"] = (uint)(2 * MaxRules),
        ["fw_live"] = (uint)(4 * MaxRules),
        ["fw_keys"] = (uint)(2 * GenerationKeys),
    };

    public JsonObject ToJson() => new()
    {
        ["defaultAction"] = DefaultAction.Name(),
        ["conntrack"] = Conntrack.ToJson(),
        ["rejectsPerSecond"] = (long)RejectsPerSecond,
        ["maxRules"] = (long)MaxRules,
    };
}
