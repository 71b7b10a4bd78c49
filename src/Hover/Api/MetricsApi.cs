using IoVisor.Hover.Metrics;

namespace IoVisor.Hover.Api;

public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (IEnumerable<IMetricsSource> sources) =>
        {
            var writer = new PrometheusTextWriter();
            foreach (var source in sources)
            {
                source.Write(writer);
            }
            return TypedResults.Text(writer.ToString(), PrometheusTextWriter.ContentType);
        }).WithTags("Metrics")
            .WithSummary("Port counters, graph size, slow-path events and API request counts and latency, in the Prometheus text format 0.0.4")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        return app;
    }
}
