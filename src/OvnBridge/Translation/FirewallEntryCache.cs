using System.Text.Json.Nodes;
using IoVisor.OvnBridge.Matching;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>The rule entries of each port's firewall from the last translation, reused while the
/// port's ACLs (the same rows and compiled instances), its port groups and the switch's
/// statefulness are unchanged: a change elsewhere does not rebuild thousands of rules. Not
/// thread-safe: one translation at a time.</summary>
internal sealed class FirewallEntryCache
{
    private Dictionary<string, Cached> previous = new(StringComparer.Ordinal);
    private Dictionary<string, Cached> current = new(StringComparer.Ordinal);

    private sealed record Cached(IReadOnlyList<(Acl Row, CompiledAcl Compiled)> Acls, bool Stateful, IReadOnlySet<string> Groups, List<(string, string?, JsonObject)> Entries);

    public List<(string, string?, JsonObject)> Get(string port, IReadOnlyList<(Acl Row, CompiledAcl Compiled)> acls, bool stateful, IReadOnlySet<string> groups,
        Func<List<(string, string?, JsonObject)>> build)
    {
        if (!previous.TryGetValue(port, out var cached) || cached.Stateful != stateful || !SameAcls(cached.Acls, acls)
            || !(ReferenceEquals(cached.Groups, groups) || cached.Groups.SetEquals(groups)))
        {
            cached = new Cached(acls, stateful, groups, build());
        }
        current[port] = cached;
        return cached.Entries;
    }

    public void EndPass() => (previous, current) = (current, new Dictionary<string, Cached>(StringComparer.Ordinal));

    private static bool SameAcls(IReadOnlyList<(Acl Row, CompiledAcl Compiled)> a, IReadOnlyList<(Acl Row, CompiledAcl Compiled)> b) =>
        a.Count == b.Count && a.Zip(b).All(p => ReferenceEquals(p.First.Row, p.Second.Row) && ReferenceEquals(p.First.Compiled, p.Second.Compiled));
}
