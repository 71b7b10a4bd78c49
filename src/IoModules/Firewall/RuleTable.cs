using System.Globalization;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Firewall;

/// <summary>
/// The firewall's rules over REST, keyed by the rule id users give ("key") or one generated for
/// them ("rule-17"). Listed highest priority first, each with its hit counters. Every change,
/// one rule or a batch replace of all of them, puts a whole new set in force at once.
/// </summary>
internal sealed class RuleTable(RuleSetInstaller installer) : IModuleTable
{
    public IReadOnlyList<JsonObject> List() => installer.Current.Rules.Values
        .OrderByDescending(r => r.Rule.Priority)
        .ThenBy(r => r.Rule.Key, StringComparer.Ordinal)
        .Select(WithHits)
        .ToList();

    public JsonObject? Get(string key) => installer.Current.Rules.TryGetValue(key, out var rule) ? WithHits(rule) : null;

    /// <summary>Returns the rule without its counters: what is written is config.</summary>
    public JsonObject Put(string? key, JsonObject entry) => Write([(key, entry)], _ => "", "key")[0].ToJson();

    public bool HasPutAll => true;

    /// <summary>Every rule of the batch checked against the set in force and the others, then one new
    /// set in force. Returns the rules without counters.</summary>
    public IReadOnlyList<JsonObject> PutAll(IReadOnlyList<(string? Key, JsonObject Entry)> entries) =>
        [.. Write(entries, i => $"entries[{i}]", "entries").Select(r => r.ToJson())];

    /// <summary>Puts the rules in force with the others of the set; an entry's errors are named under
    /// <paramref name="pathOf"/> its index, a set that does not fit under <paramref name="setField"/>.</summary>
    private List<FirewallRule> Write(IReadOnlyList<(string? Key, JsonObject Entry)> entries, Func<int, string> pathOf, string setField)
    {
        var set = installer.Current;
        var errors = new ConfigErrors();
        var given = entries.Select(e => e.Key ?? (e.Entry["key"] is JsonValue v && v.TryGetValue<string>(out var k) ? k : null))
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        using var generated = FreeKeys(set, given).GetEnumerator();
        var target = set.Rules.Values.ToDictionary(r => r.Rule.Key, r => r.Rule, StringComparer.Ordinal);
        var written = new List<FirewallRule>();
        var batchIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var (key, entry) = entries[i];
            var entryErrors = new ConfigErrors(pathOf(i));
            generated.MoveNext();
            var rule = FirewallRuleReader.Read(entry, key ?? generated.Current, entryErrors);
            if (rule is not null && key is not null && rule.Key != key)
            {
                entryErrors.Add("key", $"is \"{rule.Key}\" but the rule is put at \"{key}\"");
            }
            // A POST never replaces: undoing it would delete the rule that was there.
            else if (rule is not null && key is null && set.Rules.ContainsKey(rule.Key))
            {
                entryErrors.Add("key", $"rule \"{rule.Key}\" exists; PUT it by its key to replace it");
            }
            else if (rule is not null && batchIndex.TryGetValue(rule.Key, out var first))
            {
                entryErrors.Add("key", $"\"{rule.Key}\" is the key of entries[{first}] too");
            }
            errors.AddRange(entryErrors.Items);
            if (rule is not null && entryErrors.Items.Count == 0)
            {
                batchIndex[rule.Key] = i;
                target[rule.Key] = rule;
                written.Add(rule);
            }
        }
        errors.ThrowIfAny();
        // The daemon puts every rule again when it starts: unchanged rules cost nothing.
        if (written.Any(r => !set.Rules.TryGetValue(r.Key, out var current) || current.Rule != r))
        {
            installer.Install(target.Values.ToList(), set.DefaultAction, setField);
        }
        return written;
    }

    public bool Delete(string key)
    {
        var set = installer.Current;
        if (!set.Rules.ContainsKey(key))
        {
            return false;
        }
        installer.Install(set.Rules.Values.Select(r => r.Rule).Where(r => r.Key != key).ToList(), set.DefaultAction, "key");
        return true;
    }

    public int Flush()
    {
        var set = installer.Current;
        installer.Install([], set.DefaultAction, "key");
        return set.Rules.Count;
    }

    /// <summary>The whole set at once: every entry is validated (errors named entries[i].field) before
    /// anything changes; entries without a key get a generated one. Returns the rules without counters.</summary>
    public IReadOnlyList<JsonObject> ReplaceAll(IReadOnlyList<JsonObject> entries)
    {
        var set = installer.Current;
        var errors = new ConfigErrors();
        if (entries.Count > installer.MaxRules)
        {
            errors.Add("entries", $"{entries.Count} rules; at most {installer.MaxRules} (config.maxRules)");
            errors.ThrowIfAny();
        }
        var given = entries.Select(e => e["key"] is JsonValue v && v.TryGetValue<string>(out var k) ? k : null).OfType<string>().ToHashSet(StringComparer.Ordinal);
        using var generated = FreeKeys(set, given).GetEnumerator();
        var rules = new List<FirewallRule>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entryErrors = new ConfigErrors($"entries[{i}]");
            generated.MoveNext();
            var rule = FirewallRuleReader.Read(entries[i], generated.Current, entryErrors);
            errors.AddRange(entryErrors.Items);
            if (rule is null)
            {
                continue;
            }
            if (seen.TryGetValue(rule.Key, out var first))
            {
                errors.Add($"entries[{i}].key", $"\"{rule.Key}\" is the key of entries[{first}] too");
                continue;
            }
            seen[rule.Key] = i;
            rules.Add(rule);
        }
        errors.ThrowIfAny();
        installer.Install(rules, set.DefaultAction, "entries");
        return rules.Select(r => r.ToJson()).ToList();
    }

    /// <summary>Keys for rules given without one: "rule-N" from serials no rule had, skipping keys in use.</summary>
    private IEnumerable<string> FreeKeys(RuleSet set, HashSet<string> taken)
    {
        for (var n = (ulong)installer.NextSerial; ; n++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"rule-{n}");
            if (!set.Rules.ContainsKey(key) && !taken.Contains(key))
            {
                yield return key;
            }
        }
    }

    private JsonObject WithHits(InstalledRule rule)
    {
        var json = rule.Rule.ToJson();
        var hits = installer.HitsOf(rule.Slot);
        json["hits"] = new JsonObject { ["packets"] = hits.Packets, ["bytes"] = hits.Bytes };
        return json;
    }
}
