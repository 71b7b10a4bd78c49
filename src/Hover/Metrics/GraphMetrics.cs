using IoVisor.Hover.Graph;
using IoVisor.IoModules.Abi;

namespace IoVisor.Hover.Metrics;

/// <summary>The graph's size and the datapath counters of every module port.</summary>
internal sealed class GraphMetrics(GraphService graph) : IMetricsSource
{
    private static readonly (string Name, string Help, Func<HoverPortStats, ulong> Value)[] PortCounters =
    [
        ("hover_port_rx_packets_total", "Packets a module port received.", s => s.RxPackets),
        ("hover_port_rx_bytes_total", "Bytes a module port received.", s => s.RxBytes),
        ("hover_port_tx_packets_total", "Packets a module port sent.", s => s.TxPackets),
        ("hover_port_tx_bytes_total", "Bytes a module port sent.", s => s.TxBytes),
        ("hover_port_drops_total", "Packets dropped at a module port.", s => s.Drops),
    ];

    public void Write(PrometheusTextWriter writer)
    {
        var state = graph.State;
        var ports = state.Modules.Values
            .SelectMany(m => m.Ports.Values.OrderBy(p => p.Index).Select(p => (Module: m.Name, Port: p.Name, Stats: graph.Panel.StatsOf(m.Index, p.Index))))
            .ToList();
        foreach (var (name, help, value) in PortCounters)
        {
            writer.Family(name, MetricType.Counter, help);
            foreach (var p in ports)
            {
                writer.Sample(name, value(p.Stats), ("module", p.Module), ("port", p.Port));
            }
        }
        writer.Family("hover_modules", MetricType.Gauge, "Modules in the graph.");
        writer.Sample("hover_modules", state.Modules.Count);
        writer.Family("hover_links", MetricType.Gauge, "Links in the graph.");
        writer.Sample("hover_links", state.Links.Count);
    }
}
