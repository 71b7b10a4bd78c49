using IoVisor.Hover.Graph;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoVisor.Hover.Api;

public static class LinksApi
{
    public static IEndpointRouteBuilder MapLinksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/links").WithTags("Links");

        group.MapGet("/", (GraphService graph) => graph.State.Links.Values.Select(Views.Of).ToList())
            .WithSummary("List links");

        group.MapPost("/", async Task<Created<LinkView>> (LinkRequest body, GraphService graph, CancellationToken ct) =>
        {
            var l = await graph.CreateLinkAsync(body.From, body.To, ct);
            return TypedResults.Created($"/links/{l.Id}", Views.Of(l));
        }).WithSummary("Link a module port to a netdev or to another module's port").ProducesProblems(400, 409);

        group.MapGet("/{id}", (string id, GraphService graph) => Views.Of(graph.Link(id)))
            .WithSummary("Get a link").ProducesProblems(404);

        group.MapDelete("/{id}", async Task<NoContent> (string id, GraphService graph, CancellationToken ct) =>
        {
            await graph.DeleteLinkAsync(id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Remove a link").ProducesProblems(404);

        return app;
    }
}
