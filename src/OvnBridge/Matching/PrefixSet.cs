using System.Collections.Immutable;
using IoVisor.IoModules;

namespace IoVisor.OvnBridge.Matching;

/// <summary>A set of IPv4 addresses as disjoint prefixes: the sources or destinations one
/// conjunction admits. Subtracting splits prefixes, so a negated network stays exact.</summary>
public sealed record PrefixSet(ImmutableArray<Ipv4Prefix> Prefixes)
{
    public static readonly PrefixSet All = new([new Ipv4Prefix(default, 0)]);

    public bool IsEmpty => Prefixes.IsEmpty;

    public bool IsAll => Prefixes is [{ Length: 0 }];

    /// <summary>The union of possibly overlapping prefixes, made disjoint.</summary>
    public static PrefixSet Of(IEnumerable<Ipv4Prefix> prefixes)
    {
        var sorted = prefixes.Distinct().OrderBy(p => p.Length).ToList();
        var kept = new List<Ipv4Prefix>();
        foreach (var p in sorted)
        {
            if (!kept.Any(k => k.Contains(p.Network)))
            {
                kept.Add(p);
            }
        }
        return new PrefixSet([.. kept.OrderBy(p => p.Network.Value)]);
    }

    public PrefixSet Intersect(PrefixSet other)
    {
        var result = ImmutableArray.CreateBuilder<Ipv4Prefix>();
        foreach (var a in Prefixes)
        {
            foreach (var b in other.Prefixes)
            {
                if (a.Overlaps(b))
                {
                    result.Add(a.Length >= b.Length ? a : b);
                }
            }
        }
        return new PrefixSet([.. result.OrderBy(p => p.Network.Value)]);
    }

    public PrefixSet Subtract(PrefixSet other)
    {
        IEnumerable<Ipv4Prefix> remaining = Prefixes;
        foreach (var hole in other.Prefixes)
        {
            remaining = remaining.SelectMany(p => Subtract(p, hole)).ToList();
        }
        return new PrefixSet([.. remaining.OrderBy(p => p.Network.Value)]);
    }

    // p minus q: nothing when q covers p; p when they are disjoint; else p's halves minus q.
    private static IEnumerable<Ipv4Prefix> Subtract(Ipv4Prefix p, Ipv4Prefix q)
    {
        if (!p.Overlaps(q))
        {
            return [p];
        }
        if (q.Length <= p.Length)
        {
            return [];
        }
        var low = new Ipv4Prefix(p.Network, p.Length + 1);
        var high = new Ipv4Prefix(new Ipv4Address(p.Network.Value | (1u << (31 - p.Length))), p.Length + 1);
        return Subtract(low, q).Concat(Subtract(high, q));
    }
}
