using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Nat;

/// <summary>
/// The NAT rules over REST, keyed by what a rule matches ("snat 10.0.1.0/24", "dnat tcp
/// 192.0.2.1:8080", "dnat_and_snat 192.0.2.10"). The kernel's rule maps are the truth: the table
/// reads rules back from them, so a restarted daemon finds them as they were. Changing or deleting a
/// rule never touches connections: a flow keeps the translation it was opened with until it ends.
/// </summary>
internal sealed class NatRuleTable(
    NatDatapath nat,
    BpfMap<NatSnatKey, NatSnatRule> snat,
    BpfMap<NatDnatKey, NatDnatRule> dnat) : IModuleTable
{
    // Rule keys by id, for naming the rule of a connection; rebuilt after a change.
    private volatile ImmutableDictionary<uint, string>? _keysById;

    public IReadOnlyList<NatRule> Rules() => snat.Entries()
        .Select(e => NatRuleEntries.FromSnat(e.Key, e.Value))
        .OfType<NatRule>()
        .Concat(dnat.Entries().Select(e => NatRuleEntries.FromDnat(e.Key, e.Value)))
        .OrderBy(r => r.Key, StringComparer.Ordinal)
        .ToList();

    public IReadOnlyList<JsonObject> List() => Rules().Select(r => r.ToJson()).ToList();

    public JsonObject? Get(string key) => Find(key)?.ToJson();

    public JsonObject Put(string? key, JsonObject entry)
    {
        var rule = NatRuleReader.Read(entry);
        var errors = new ConfigErrors();
        foreach (var given in new[] { key, entry["key"] is JsonValue v && v.TryGetValue<string>(out var k) ? k : null })
        {
            if (given is not null && given != rule.Key)
            {
                errors.Add("key", $"does not match the rule, whose key is \"{rule.Key}\"");
                break;
            }
        }
        var rules = Rules();
        var existing = rules.FirstOrDefault(r => r.Key == rule.Key);
        // A POST never replaces: undoing it would delete the rule that was there.
        if (key is null && existing is not null)
        {
            errors.Add(rule.Type is NatRuleType.Snat or NatRuleType.Masquerade ? "logicalIp" : "externalIp",
                $"rule \"{rule.Key}\" exists; PUT it by its key to replace it");
        }
        CheckAgainstOthers(rule, rules.Where(r => r.Key != rule.Key), errors);
        nat.CheckRule(rule, errors);
        errors.ThrowIfAny();

        Replace(existing, rule, rules);
        return rule.ToJson();
    }

    public bool Delete(string key)
    {
        var rule = Find(key);
        if (rule is null)
        {
            return false;
        }
        Replace(rule, null, Rules());
        return true;
    }

    public int Flush()
    {
        var rules = Rules();
        foreach (var rule in rules)
        {
            Replace(rule, null, Rules());
        }
        return rules.Count;
    }

    /// <summary>The key of the rule with <paramref name="id"/>, or null when it is gone.</summary>
    public string? KeyOf(uint id)
    {
        var keys = _keysById ??= Rules().ToImmutableDictionary(r => r.Id, r => r.Key);
        return keys.GetValueOrDefault(id);
    }

    /// <summary>Two rules may not claim the same match: the same inside prefix (a longer or shorter
    /// one is fine: the longest wins), or the same external address and port.</summary>
    private static void CheckAgainstOthers(NatRule rule, IEnumerable<NatRule> others, ConfigErrors errors)
    {
        var snatKey = NatRuleEntries.SnatOf(rule)?.Key;
        var dnatKey = NatRuleEntries.DnatOf(rule)?.Key;
        foreach (var other in others)
        {
            if (snatKey is { } s && NatRuleEntries.SnatOf(other)?.Key is { } os && os.Equals(s))
            {
                errors.Add("logicalIp", $"{rule.Logical} is matched by rule \"{other.Key}\" already");
            }
            if (dnatKey is { } d && NatRuleEntries.DnatOf(other)?.Key is { } od && od.Equals(d))
            {
                errors.Add("externalIp", $"{rule.ExternalFirst} is translated by rule \"{other.Key}\" already");
            }
            if (other.Id == rule.Id)
            {
                errors.Add("key", $"its id collides with rule \"{other.Key}\"; use another address");
            }
        }
    }

    /// <summary>Writes <paramref name="rule"/> in place of <paramref name="old"/> (either may be
    /// null), then the ARP addresses that follow from the rules.</summary>
    private void Replace(NatRule? old, NatRule? rule, IReadOnlyList<NatRule> rules)
    {
        var edits = new MapEdits();
        try
        {
            var (newSnat, newDnat) = rule is null ? (null, null) : (NatRuleEntries.SnatOf(rule), NatRuleEntries.DnatOf(rule));
            if (newSnat is { } s)
            {
                edits.Set(snat, s.Key, s.Value);
            }
            if (newDnat is { } d)
            {
                edits.Set(dnat, d.Key, d.Value);
            }
            if (old is not null)
            {
                if (NatRuleEntries.SnatOf(old) is { } os && !os.Key.Equals(newSnat?.Key))
                {
                    edits.Remove(snat, os.Key);
                }
                if (NatRuleEntries.DnatOf(old) is { } od && !od.Key.Equals(newDnat?.Key))
                {
                    edits.Remove(dnat, od.Key);
                }
            }
            var after = rules.Where(r => r.Key != old?.Key && r.Key != rule?.Key).ToList();
            if (rule is not null)
            {
                after.Add(rule);
            }
            nat.WriteArp(after, edits);
        }
        catch
        {
            edits.Rollback();
            throw;
        }
        finally
        {
            _keysById = null;
        }
    }

    private NatRule? Find(string key)
    {
        var type = key.Split(' ', 2)[0];
        if (!NatRuleTypeNames.All.Contains(type))
        {
            throw new ConfigException("key", "must be a rule key like \"snat 10.0.1.0/24\", \"dnat tcp 192.0.2.1:8080\" or \"dnat_and_snat 192.0.2.10\"");
        }
        return Rules().FirstOrDefault(r => r.Key == key);
    }
}
