using IoVisor.Hover.Graph;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoVisor.Hover.Api;

public static class ModulesApi
{
    public static IEndpointRouteBuilder MapModulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/modules").WithTags("Modules");

        group.MapGet("/", (GraphService graph) =>
            graph.State.Modules.Values.Select(m => Views.Of(m, graph.State)).ToList())
            .WithSummary("List modules");

        group.MapPost("/", async Task<Created<ModuleView>> (ModuleCreateRequest body, GraphService graph, CancellationToken ct) =>
        {
            var m = await graph.CreateModuleAsync(body.Name, body.Type, body.Hook, body.Config, ct);
            return TypedResults.Created($"/modules/{m.Name}", Views.Of(m, graph.State));
        }).WithSummary("Create a module").ProducesProblems(400, 409);

        group.MapGet("/{name}", (string name, GraphService graph) => Views.Of(graph.Module(name), graph.State))
            .WithSummary("Get a module").ProducesProblems(404);

        group.MapPatch("/{name}", async (string name, ModulePatchRequest body, GraphService graph, CancellationToken ct) =>
        {
            var m = await graph.PatchModuleAsync(name, body.Config, ct);
            return Views.Of(m, graph.State);
        }).WithSummary("Change a module's config").ProducesProblems(400, 404);

        group.MapDelete("/{name}", async Task<NoContent> (string name, GraphService graph, CancellationToken ct) =>
        {
            await graph.DeleteModuleAsync(name, ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete a module, its links and its kernel state").ProducesProblems(404);

        return app;
    }
}
