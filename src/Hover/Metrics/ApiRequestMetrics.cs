using System.Collections.Concurrent;

namespace IoVisor.Hover.Metrics;

/// <summary>Counts REST requests and their latency per method, route template and status code.</summary>
public sealed class ApiRequestMetrics : IMetricsSource
{
    /// <summary>Prometheus' default buckets: they span a fast map read to a slow module load.</summary>
    public static IReadOnlyList<double> Buckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // Methods outside this list share one label value, so clients cannot grow the series without bound.
    private static readonly HashSet<string> KnownMethods = new(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"], StringComparer.Ordinal);

    private readonly ConcurrentDictionary<(string Method, string Route, int Status), Series> _series = new();

    public void Record(string method, string route, int status, TimeSpan elapsed)
    {
        var key = (KnownMethods.Contains(method) ? method : "OTHER", route, status);
        _series.GetOrAdd(key, _ => new Series()).Observe(elapsed.TotalSeconds);
    }

    public void Write(PrometheusTextWriter writer)
    {
        var series = _series
            .Select(s => (s.Key, Histogram: s.Value.Snapshot()))
            .OrderBy(s => s.Key.Route, StringComparer.Ordinal).ThenBy(s => s.Key.Method, StringComparer.Ordinal).ThenBy(s => s.Key.Status)
            .ToList();
        writer.Family("hover_api_requests_total", MetricType.Counter, "REST requests answered, by method, route template and status code.");
        foreach (var (key, histogram) in series)
        {
            writer.Sample("hover_api_requests_total", histogram.Count, Labels(key));
        }
        writer.Family("hover_api_request_duration_seconds", MetricType.Histogram, "Time to answer a REST request, by method, route template and status code.");
        foreach (var (key, histogram) in series)
        {
            writer.Histogram("hover_api_request_duration_seconds", histogram, Labels(key));
        }
    }

    private static (string, string)[] Labels((string Method, string Route, int Status) key) =>
        [("method", key.Method), ("route", key.Route), ("status", key.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private sealed class Series
    {
        private readonly long[] _counts = new long[Buckets.Count + 1];
        private double _sum;

        public void Observe(double seconds)
        {
            var bucket = 0;
            while (bucket < Buckets.Count && seconds > Buckets[bucket])
            {
                bucket++;
            }
            lock (_counts)
            {
                _counts[bucket]++;
                _sum += seconds;
            }
        }

        public HistogramSnapshot Snapshot()
        {
            lock (_counts)
            {
                return new HistogramSnapshot(Buckets, [.. _counts], _sum);
            }
        }
    }
}
