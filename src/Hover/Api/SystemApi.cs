using IoVisor.Hover.Graph;
using IoVisor.Hover.Kernel;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.Api;

/// <summary>Stats, host interfaces and health.</summary>
public static class SystemApi
{
    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/modules/{name}/stats", (string name, GraphService graph) =>
        {
            var m = graph.Module(name);
            var ports = m.Ports.Values.OrderBy(p => p.Index).Select(p =>
            {
                var s = graph.Panel.StatsOf(m.Index, p.Index);
                return new PortStatsView(p.Name, s.RxPackets, s.RxBytes, s.TxPackets, s.TxBytes, s.Drops);
            }).ToList();
            return new ModuleStatsView(m.Name, ports, graph.Loaded(name).SlowPathCounters.Snapshot());
        }).WithTags("Stats").WithSummary("Per-port packet, byte and drop counters, and what the slow path did for the module").ProducesProblems(404);

        app.MapGet("/interfaces", (GraphService graph) =>
        {
            var links = graph.State.Links.Values
                .Where(l => l.To.IsNetdev)
                .ToDictionary(l => l.To.Netdev, l => l.From.ToString(), StringComparer.Ordinal);
            return HostInterfaces.List().Select(i => i with { Link = links.GetValueOrDefault(i.Name) }).ToList();
        }).WithTags("Interfaces").WithSummary("Network interfaces of the host namespace and what they are linked to");

        app.MapGet("/health", (GraphService graph, InjectionDevice injection, IOptions<HoverOptions> options) =>
            new HealthView("ok", graph.State.Modules.Count, graph.State.Links.Count, options.Value.BpffsDir, options.Value.StateDir, injection.Name))
            .WithTags("Health").WithSummary("Liveness and a summary");

        return app;
    }
}
