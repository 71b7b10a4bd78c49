namespace IoVisor.OvnBridge.Matching;

/// <summary>Address sets that note what was resolved through them, and to what: a compilation is
/// good for as long as every set it used resolves to the same instance.</summary>
internal sealed class ResolvedSets(IAddressSets inner) : IAddressSets
{
    public List<(string Name, PrefixSet? Set)> Used { get; } = [];

    public PrefixSet? Resolve(string name, out bool hasIpv6)
    {
        var set = inner.Resolve(name, out hasIpv6);
        Used.Add((name, set));
        return set;
    }

    /// <summary>Whether every set in <paramref name="used"/> resolves through <paramref name="sets"/>
    /// to the instance it resolved to then.</summary>
    public static bool Unchanged(IEnumerable<(string Name, PrefixSet? Set)> used, IAddressSets sets)
    {
        foreach (var (name, set) in used)
        {
            if (!ReferenceEquals(sets.Resolve(name, out _), set))
            {
                return false;
            }
        }
        return true;
    }
}
