using System.Globalization;

namespace IoVisor.OvnBench;

/// <summary>Samples in milliseconds and their percentiles (nearest rank).</summary>
internal sealed class Latencies
{
    private readonly List<double> samples = [];

    public int Count => samples.Count;

    public void Add(double milliseconds) => samples.Add(milliseconds);

    /// <summary>The first <paramref name="count"/> samples taken.</summary>
    public Latencies First(int count) => Of(samples.Take(count));

    /// <summary>The samples after the first <paramref name="count"/>.</summary>
    public Latencies After(int count) => Of(samples.Skip(count));

    private static Latencies Of(IEnumerable<double> taken)
    {
        var part = new Latencies();
        part.samples.AddRange(taken);
        return part;
    }

    public double Percentile(double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }
        var sorted = samples.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {Percentile(50):0.0} ms, p99 {Percentile(99):0.0} ms, max {Percentile(100):0.0} ms ({Count} samples)");
}
