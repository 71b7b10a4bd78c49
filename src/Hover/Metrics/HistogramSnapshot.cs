namespace IoVisor.Hover.Metrics;

/// <summary>A histogram as observed so far: the count of observations in each bucket (not cumulative),
/// one more than <see cref="UpperBounds"/> for those above the last bound, and their sum.</summary>
public sealed record HistogramSnapshot(IReadOnlyList<double> UpperBounds, IReadOnlyList<long> BucketCounts, double Sum)
{
    public long Count => BucketCounts.Sum();
}
