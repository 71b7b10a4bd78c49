using IoVisor.Hover.Graph;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoVisor.Hover.Api;

public static class PortsApi
{
    public static IEndpointRouteBuilder MapPortsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/modules/{name}/ports").WithTags("Ports");

        group.MapGet("/", (string name, GraphService graph) =>
        {
            var m = graph.Module(name);
            return m.Ports.Values.OrderBy(p => p.Index).Select(p => Views.Of(m, p, graph.State)).ToList();
        }).WithSummary("List a module's ports").ProducesProblems(404);

        group.MapPost("/", async Task<Created<PortView>> (string name, PortCreateRequest body, GraphService graph, CancellationToken ct) =>
        {
            var p = await graph.AddPortAsync(name, body.Name, body.Config, ct);
            return TypedResults.Created($"/modules/{name}/ports/{p.Name}", Views.Of(graph.Module(name), p, graph.State));
        }).WithSummary("Add a port").ProducesProblems(400, 404, 409);

        group.MapGet("/{port}", (string name, string port, GraphService graph) =>
        {
            var m = graph.Module(name);
            return Views.Of(m, GraphService.PortOf(m, port), graph.State);
        }).WithSummary("Get a port").ProducesProblems(404);

        group.MapPatch("/{port}", async (string name, string port, PortPatchRequest body, GraphService graph, CancellationToken ct) =>
        {
            var p = await graph.PatchPortAsync(name, port, body.Config, ct);
            return Views.Of(graph.Module(name), p, graph.State);
        }).WithSummary("Replace a port's config").ProducesProblems(400, 404);

        group.MapDelete("/{port}", async Task<NoContent> (string name, string port, GraphService graph, CancellationToken ct) =>
        {
            await graph.DeletePortAsync(name, port, ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete a port and its link").ProducesProblems(404);

        return app;
    }
}
