using IoVisor.OvnBridge.Matching;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>The ACLs the last compiling translation compiled and what they were compiled from: the
/// ACL, switch and port group tables, and the address sets they resolved. A translation after a
/// change elsewhere (a port's MAC, a route) takes them whole instead of looking 10,000 ACLs up in the
/// compiler's cache one by one. One translation at a time.</summary>
internal sealed class AclPass
{
    private IReadOnlyDictionary<Guid, Acl>? acls;
    private IReadOnlyDictionary<Guid, LogicalSwitch>? switches;
    private IReadOnlyDictionary<Guid, PortGroup>? groups;
    private List<(string Name, PrefixSet? Set)> resolved = [];

    /// <summary>Every ACL of a switch or port group, by UUID.</summary>
    public Dictionary<Guid, CompiledAcl> Compiled { get; private set; } = [];

    /// <summary>The ACLs whose compilation has an error or notes to report, in compilation order.</summary>
    public List<(Acl Row, CompiledAcl Compiled)> Reported { get; private set; } = [];

    /// <summary>Whether <see cref="Compiled"/> is what compiling <paramref name="nb"/>'s ACLs would give.</summary>
    public bool Holds(NbSnapshot nb, IAddressSets sets) =>
        ReferenceEquals(acls, nb.Acls) && ReferenceEquals(switches, nb.Switches) && ReferenceEquals(groups, nb.PortGroups)
        && ResolvedSets.Unchanged(resolved, sets);

    public void Remember(NbSnapshot nb, ResolvedSets used, Dictionary<Guid, CompiledAcl> compiled)
    {
        (acls, switches, groups) = (nb.Acls, nb.Switches, nb.PortGroups);
        resolved = used.Used.DistinctBy(u => u.Name, StringComparer.Ordinal).ToList();
        Compiled = compiled;
        Reported = compiled.Where(c => c.Value.Error is not null || c.Value.Notes.Length > 0).Select(c => (nb.Acls[c.Key], c.Value)).ToList();
    }
}
