using IoVisor.Hover.Graph;

namespace IoVisor.Hover.Metrics;

/// <summary>What the slow path did for each module: its counters as GET /modules/{name}/stats shows
/// them, one label value per counter ("punted.arpMiss", "held", ...).</summary>
internal sealed class SlowPathMetrics(GraphService graph) : IMetricsSource
{
    private const string Name = "hover_slowpath_events_total";

    public void Write(PrometheusTextWriter writer)
    {
        writer.Family(Name, MetricType.Counter, "Slow-path events per module: punts by reason, injections, held, released and dropped packets.");
        foreach (var module in graph.State.Modules.Values)
        {
            // A module being committed may be in the state a moment before it is loaded.
            if (graph.LoadedAt(module.Index) is not { } loaded || loaded.Name != module.Name)
            {
                continue;
            }
            foreach (var (counter, value) in loaded.SlowPathCounters.Snapshot())
            {
                writer.Sample(Name, value, ("module", module.Name), ("event", counter));
            }
        }
    }
}
