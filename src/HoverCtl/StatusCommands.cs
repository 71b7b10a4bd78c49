using System.CommandLine;
using IoVisor.Hover.Client;

namespace IoVisor.HoverCtl;

/// <summary>What the daemon reports about itself: <c>stats</c>, <c>interfaces</c>, <c>health</c>, <c>metrics</c>.</summary>
internal static class StatusCommands
{
    public static IEnumerable<Command> Create(ApiActions actions)
    {
        var module = new Argument<string>("module") { Description = "Module name" };
        var stats = new Command("stats", "Per-port packet, byte and drop counters of a module") { module };
        actions.Set(stats, async call =>
        {
            var view = await call.Api.GetStatsAsync(call.Value(module), call.Ct);
            var ports = new Table("PORT", "RX PACKETS", "RX BYTES", "TX PACKETS", "TX BYTES", "DROPS");
            foreach (var p in view.Ports)
            {
                ports.Add(p.Port, p.RxPackets, p.RxBytes, p.TxPackets, p.TxBytes, p.Drops);
            }
            var slowPath = new Table("SLOW PATH", "COUNT");
            // A daemon older than the slow-path counters leaves them out.
            foreach (var (counter, count) in view.SlowPath ?? new Dictionary<string, long>())
            {
                slowPath.Add(counter, count);
            }
            call.Out.Print(view, view.SlowPath is { Count: > 0 } ? [ports, slowPath] : [ports]);
        });
        yield return stats;

        var interfaces = new Command("interfaces", "Network interfaces of the daemon's namespace and what they are linked to");
        actions.Set(interfaces, async call =>
        {
            var list = await call.Api.ListInterfacesAsync(call.Ct);
            var table = new Table("NAME", "IFINDEX", "MAC", "UP", "LINK");
            foreach (var i in list)
            {
                table.Add(i.Name, i.Ifindex, i.Mac, i.Up, i.Link);
            }
            call.Out.Print(list, table);
        });
        yield return interfaces;

        var health = new Command("health", "Liveness and a summary of the daemon");
        actions.Set(health, async call =>
        {
            var h = await call.Api.GetHealthAsync(call.Ct);
            call.Out.Print(h, new Table("STATUS", "MODULES", "LINKS", "BPFFS DIR", "STATE DIR", "INJECTION DEVICE")
                .Add(h.Status, h.Modules, h.Links, h.BpffsDir, h.StateDir, h.InjectionDevice));
        });
        yield return health;

        var metrics = new Command("metrics", "Counters in the Prometheus text format, as the daemon serves them");
        actions.Set(metrics, async call => await call.Out.Output.WriteAsync(await call.Api.GetMetricsAsync(call.Ct)));
        yield return metrics;
    }
}
