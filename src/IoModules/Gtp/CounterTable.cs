using System.Text.Json.Nodes;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Gtp;

/// <summary>Packets and bytes each rule matched, keyed like the rules. Read-only: deleting an
/// entry (or flushing the table) zeroes the counters; the rules stay.</summary>
internal sealed class CounterTable(BpfMap<GtpRuleKey, GtpRule> rules, BpfMap<uint, GtpCount> stats) : IModuleTable
{
    public IReadOnlyList<JsonObject> List() => rules.Entries()
        .Select(e => (Match: GtpMatch.FromKernel(e.Key), e.Value.RuleId))
        .OrderBy(e => e.Match.Version)
        .ThenBy(e => e.Match.Teid ?? 0)
        .ThenBy(e => e.Match.MessageType ?? 256)
        .Select(e => ToJson(e.Match, e.RuleId))
        .ToList();

    public JsonObject? Get(string key)
    {
        var match = RuleTable.ParseKey(key);
        return rules.TryLookup(match.ToKernel(), out var rule) ? ToJson(match, rule.RuleId) : null;
    }

    public JsonObject Put(string? key, JsonObject entry) =>
        throw new ConfigException("table", "counters are read-only; they follow the rules table");

    public bool Delete(string key)
    {
        if (!rules.TryLookup(RuleTable.ParseKey(key).ToKernel(), out var rule))
        {
            return false;
        }
        stats.Zero(rule.RuleId);
        return true;
    }

    public int Flush()
    {
        var all = rules.Entries().ToList();
        foreach (var (_, rule) in all)
        {
            stats.Zero(rule.RuleId);
        }
        return all.Count;
    }

    private JsonObject ToJson(GtpMatch match, uint ruleId)
    {
        var count = stats.Sum(ruleId);
        return new JsonObject { ["key"] = match.ToString(), ["packets"] = count.Packets, ["bytes"] = count.Bytes };
    }
}
