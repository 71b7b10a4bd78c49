using System.Collections.Immutable;

namespace IoVisor.IoModules.Firewall;

/// <summary>A tuple: its id in the kernel's keys, its masks, how many keys it has and how many rules
/// of each rank share them (its highest rank bounds what a lookup in it can find).</summary>
public sealed record TupleInfo(int Id, MatchFields Mask, int Keys, ImmutableSortedDictionary<uint, int> Ranks)
{
    public uint MaxRank => Ranks.Keys.Last();
}

/// <summary>
/// A rule set compiled for tuple space search: every classifier key with the rules that share it,
/// best first, and the tuples. Immutable, so that a change is computed first and taken only when the
/// result fits the kernel; the keys a change touched are what the kernel must be told.
/// </summary>
public sealed class TupleSpace
{
    private readonly ImmutableDictionary<ClassifierEntry, ImmutableArray<Contender>> _entries;
    private readonly ImmutableDictionary<MatchFields, TupleInfo> _tuples;

    private TupleSpace(ImmutableDictionary<ClassifierEntry, ImmutableArray<Contender>> entries, ImmutableDictionary<MatchFields, TupleInfo> tuples)
    {
        _entries = entries;
        _tuples = tuples;
    }

    public static TupleSpace Empty { get; } = new(
        ImmutableDictionary<ClassifierEntry, ImmutableArray<Contender>>.Empty, ImmutableDictionary<MatchFields, TupleInfo>.Empty);

    public int KeyCount => _entries.Count;

    public int TupleCount => _tuples.Count;

    /// <summary>The tuples in the order the datapath searches them: highest rank first.</summary>
    public IReadOnlyList<TupleInfo> SearchOrder() =>
        _tuples.Values.OrderByDescending(t => t.MaxRank).ThenBy(t => t.Id).ToList();

    /// <summary>Every key and the rule that decides it.</summary>
    public IEnumerable<(ClassifierEntry Entry, Contender Best)> Keys() => _entries.Select(e => (e.Key, e.Value[0]));

    public Contender? BestOf(ClassifierEntry entry) => _entries.TryGetValue(entry, out var c) ? c[0] : null;

    public int? TupleOf(MatchFields mask) => _tuples.TryGetValue(mask, out var t) ? t.Id : null;

    /// <summary>
    /// The image with <paramref name="added"/> compiled in and <paramref name="removed"/> taken out,
    /// adding first so that a rule replaced by one of the same shape never empties its tuple. New
    /// tuples take the id <paramref name="preferredIds"/> gives their masks when it is free, else the
    /// lowest free one. The keys whose rules changed are added to <paramref name="touched"/>.
    /// </summary>
    public TupleSpace With(IEnumerable<InstalledRule> added, IEnumerable<InstalledRule> removed, ISet<ClassifierEntry> touched,
        IReadOnlyDictionary<MatchFields, int>? preferredIds = null)
    {
        var entries = _entries.ToBuilder();
        // The tuples this change touches, with builders for their ranks: written back once at the end.
        var tuples = new Dictionary<MatchFields, (int Id, int Keys, ImmutableSortedDictionary<uint, int>.Builder Ranks)>();
        var ids = _tuples.Values.Select(t => t.Id).ToHashSet();
        foreach (var rule in added)
        {
            var contender = rule.Contender;
            foreach (var entry in RuleExpansion.Expand(rule.Rule))
            {
                touched.Add(entry);
                var isNew = !entries.TryGetValue(entry, out var list);
                var at = isNew ? 0 : list.TakeWhile(c => c.Beats(contender)).Count();
                entries[entry] = isNew ? [contender] : list.Insert(at, contender);
                if (!tuples.TryGetValue(entry.Mask, out var tuple))
                {
                    if (_tuples.TryGetValue(entry.Mask, out var known))
                    {
                        tuple = (known.Id, known.Keys, known.Ranks.ToBuilder());
                    }
                    else
                    {
                        var id = preferredIds is not null && preferredIds.TryGetValue(entry.Mask, out var p) && !ids.Contains(p)
                            ? p
                            : Enumerable.Range(0, int.MaxValue).First(i => !ids.Contains(i));
                        ids.Add(id);
                        tuple = (id, 0, ImmutableSortedDictionary.CreateBuilder<uint, int>());
                    }
                }
                tuple.Ranks[contender.Rank] = tuple.Ranks.GetValueOrDefault(contender.Rank) + 1;
                tuples[entry.Mask] = (tuple.Id, tuple.Keys + (isNew ? 1 : 0), tuple.Ranks);
            }
        }
        foreach (var rule in removed)
        {
            var rank = rule.Rule.Rank;
            foreach (var entry in RuleExpansion.Expand(rule.Rule))
            {
                touched.Add(entry);
                var list = entries[entry].RemoveAll(c => c.Slot == rule.Slot);
                if (list.IsEmpty)
                {
                    entries.Remove(entry);
                }
                else
                {
                    entries[entry] = list;
                }
                if (!tuples.TryGetValue(entry.Mask, out var tuple))
                {
                    var known = _tuples[entry.Mask];
                    tuple = (known.Id, known.Keys, known.Ranks.ToBuilder());
                }
                var left = tuple.Ranks[rank] - 1;
                if (left == 0)
                {
                    tuple.Ranks.Remove(rank);
                }
                else
                {
                    tuple.Ranks[rank] = left;
                }
                tuples[entry.Mask] = (tuple.Id, tuple.Keys - (list.IsEmpty ? 1 : 0), tuple.Ranks);
            }
        }
        var all = _tuples.ToBuilder();
        foreach (var (mask, tuple) in tuples)
        {
            if (tuple.Keys == 0)
            {
                all.Remove(mask);
            }
            else
            {
                all[mask] = new TupleInfo(tuple.Id, mask, tuple.Keys, tuple.Ranks.ToImmutable());
            }
        }
        return new TupleSpace(entries.ToImmutable(), all.ToImmutable());
    }
}
