using System.Collections.Immutable;

namespace IoVisor.OvnBridge.Matching;

/// <summary>A set of integers in [0, <see cref="Max"/>] as sorted disjoint closed intervals: the
/// values a port or ICMP field may take in one conjunction.</summary>
public sealed record IntervalSet(int Max, ImmutableArray<(int Low, int High)> Intervals)
{
    public static IntervalSet All(int max) => new(max, [(0, max)]);

    public bool IsEmpty => Intervals.IsEmpty;

    public bool IsAll => Intervals is [var only] && only.Low == 0 && only.High == Max;

    public long Count => Intervals.Sum(i => (long)i.High - i.Low + 1);

    /// <summary>The values <c>field op value</c> admits.</summary>
    public static IntervalSet Where(Relop op, long value, int max)
    {
        (long Low, long High) range = op switch
        {
            Relop.Equal => (value, value),
            Relop.Less => (0, value - 1),
            Relop.LessOrEqual => (0, value),
            Relop.Greater => (value + 1, max),
            Relop.GreaterOrEqual => (value, max),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "!= is a negated =="),
        };
        var low = Math.Max(0, range.Low);
        var high = Math.Min(max, range.High);
        return low > high ? new IntervalSet(max, []) : new IntervalSet(max, [((int)low, (int)high)]);
    }

    public static IntervalSet Union(int max, IEnumerable<IntervalSet> sets)
    {
        var all = sets.SelectMany(s => s.Intervals).OrderBy(i => i.Low).ToList();
        var merged = ImmutableArray.CreateBuilder<(int, int)>();
        foreach (var (low, high) in all)
        {
            if (merged.Count > 0 && low <= merged[^1].Item2 + 1)
            {
                merged[^1] = (merged[^1].Item1, Math.Max(merged[^1].Item2, high));
            }
            else
            {
                merged.Add((low, high));
            }
        }
        return new IntervalSet(max, merged.ToImmutable());
    }

    public IntervalSet Intersect(IntervalSet other)
    {
        var result = ImmutableArray.CreateBuilder<(int, int)>();
        foreach (var a in Intervals)
        {
            foreach (var b in other.Intervals)
            {
                var low = Math.Max(a.Low, b.Low);
                var high = Math.Min(a.High, b.High);
                if (low <= high)
                {
                    result.Add((low, high));
                }
            }
        }
        return new IntervalSet(Max, [.. result.OrderBy(i => i.Item1)]);
    }

    public IntervalSet Complement()
    {
        var result = ImmutableArray.CreateBuilder<(int, int)>();
        var next = 0;
        foreach (var (low, high) in Intervals)
        {
            if (low > next)
            {
                result.Add((next, low - 1));
            }
            next = high + 1;
        }
        if (next <= Max)
        {
            result.Add((next, Max));
        }
        return new IntervalSet(Max, result.ToImmutable());
    }
}
