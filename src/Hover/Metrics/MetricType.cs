namespace IoVisor.Hover.Metrics;

/// <summary>The TYPE of a metric family.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
