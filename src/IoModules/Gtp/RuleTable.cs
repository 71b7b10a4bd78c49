using System.Globalization;
using System.Text.Json.Nodes;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Gtp;

/// <summary>The matcher's rules over REST, keyed by their match ("v1 teid 0x10 any"): a TEID, a
/// version and optionally a message type, and what to do with a message that matches (forward
/// out of a port, drop, punt). A message matches the rule for its exact type before the one for
/// any type.</summary>
internal sealed class RuleTable(BpfMap<GtpRuleKey, GtpRule> rules, BpfMap<uint, GtpCount> stats, RuleIds ids, IModulePorts ports) : IModuleTable
{
    public IReadOnlyList<JsonObject> List() => rules.Entries()
        .Select(e => (Match: GtpMatch.FromKernel(e.Key), Rule: e.Value))
        .OrderBy(e => e.Match.Version)
        .ThenBy(e => e.Match.Teid ?? 0)
        .ThenBy(e => e.Match.MessageType ?? 256)
        .Select(e => ToJson(e.Match, e.Rule))
        .ToList();

    public JsonObject? Get(string key)
    {
        var match = ParseKey(key);
        return rules.TryLookup(match.ToKernel(), out var rule) ? ToJson(match, rule) : null;
    }

    public JsonObject Put(string? key, JsonObject entry)
    {
        var reader = new ConfigReader(entry, new ConfigErrors());
        reader.RejectUnknown("key", "version", "teid", "messageType", "action", "port");
        GtpMatch? keyMatch = null;
        if (key is not null)
        {
            keyMatch = GtpMatch.TryParse(key, out var parsed) ? parsed : null;
            if (keyMatch is null)
            {
                reader.Errors.Add("key", $"must be like '{GtpMatch.KeyFormat}'");
            }
        }
        var match = GtpMatch.Read(entry, reader.Errors, keyMatch);
        var action = GtpAction.Read(reader, "action", "port", null, GtpAction.Forward, GtpAction.Drop, GtpAction.Punt);
        int? port = null;
        if (action.Port is { } name && (port = ports.IndexOf(name)) is null)
        {
            reader.Errors.Add("port", $"the module has no port '{name}'");
        }
        if (keyMatch is { } k && !reader.Errors.Any && k != match)
        {
            reader.Errors.Add("key", $"does not match the entry, whose key is '{match}'");
        }
        reader.Errors.ThrowIfAny();

        var kernelKey = match.ToKernel();
        var fresh = !rules.TryLookup(kernelKey, out var existing);
        var id = fresh
            ? ids.Allocate(match) ?? throw new ConfigException("key", $"the table is full: at most {GtpAbi.MaxRules} rules")
            : existing.RuleId;
        var rule = new GtpRule { Action = action.KernelAction, Port = port is { } p ? (uint)p : GtpAbi.PortNone, RuleId = id };
        try
        {
            if (fresh)
            {
                stats.UpdatePerCpu(id, new GtpCount[BpfMap.PossibleCpus]);
            }
            rules.Update(kernelKey, rule);
        }
        catch when (fresh)
        {
            ids.Release(id);
            throw;
        }
        return ToJson(match, rule);
    }

    public bool Delete(string key)
    {
        var kernelKey = ParseKey(key).ToKernel();
        if (!rules.TryLookup(kernelKey, out var rule) || !rules.Delete(kernelKey))
        {
            return false;
        }
        ids.Release(rule.RuleId);
        return true;
    }

    public int Flush()
    {
        var all = rules.Entries().ToList();
        foreach (var (key, rule) in all)
        {
            rules.Delete(key);
            ids.Release(rule.RuleId);
        }
        return all.Count;
    }

    /// <summary>The keys of the rules that forward out of <paramref name="port"/>.</summary>
    internal IReadOnlyList<string> ForwardingTo(int port) => rules.Entries()
        .Where(e => e.Value.Action == GtpAbi.ActionForward && e.Value.Port == (uint)port)
        .Select(e => GtpMatch.FromKernel(e.Key).ToString())
        .ToList();

    internal static GtpMatch ParseKey(string key) =>
        GtpMatch.TryParse(key, out var match) ? match : throw new ConfigException("key", $"must be like '{GtpMatch.KeyFormat}'");

    private JsonObject ToJson(GtpMatch match, GtpRule rule)
    {
        var json = new JsonObject { ["key"] = match.ToString() };
        match.WriteTo(json);
        json["action"] = GtpAction.KindOf(rule.Action);
        if (rule.Action == GtpAbi.ActionForward)
        {
            json["port"] = ports.NameOf((int)rule.Port) ?? rule.Port.ToString(CultureInfo.InvariantCulture);
        }
        return json;
    }
}
