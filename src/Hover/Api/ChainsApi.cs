using IoVisor.Hover.Graph;
using IoVisor.IoModules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoVisor.Hover.Api;

public static class ChainsApi
{
    public static IEndpointRouteBuilder MapChainsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/chains").WithTags("Chains");

        group.MapGet("/", (GraphService graph) => graph.State.Chains.Values.Select(SpecOf).ToList())
            .WithSummary("List chains, each as its applied spec");

        group.MapPost("/", async (ChainSpec body, GraphService graph, CancellationToken ct) => await graph.ApplyChainAsync(body, ct))
            .WithSummary("Apply a chain: make its modules, ports, links and entries exactly these, in one atomic change")
            .WithDescription("Validates the whole spec first, then applies only what differs from the chain's previous spec and the graph: "
                + "what the spec drops is deleted, a module whose type or hook changes is recreated. Any failure takes every step back.")
            .ProducesProblems(400, 409);

        group.MapGet("/{name}", (string name, GraphService graph) => SpecOf(graph.Chain(name)))
            .WithSummary("Get a chain's applied spec").ProducesProblems(404);

        group.MapDelete("/{name}", async Task<NoContent> (string name, GraphService graph, CancellationToken ct) =>
        {
            await graph.DeleteChainAsync(name, ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete a chain and everything it owns").ProducesProblems(404);

        return app;
    }

    /// <summary>The spec as it was applied: normalized, so POSTing it again changes nothing.</summary>
    private static ChainSpec SpecOf(ChainState c) => new(
        c.Name,
        c.Modules.Select(m => (ChainModuleSpec?)new ChainModuleSpec(m.Name, m.Type, m.Hook.ObjectSuffix(), m.Config,
            m.Ports.Select(p => (ChainPortSpec?)new ChainPortSpec(p.Name, p.Config)).ToList())).ToList(),
        c.Links.Select(l => (ChainLinkSpec?)new ChainLinkSpec(l.From.ToString(), l.To.ToString())).ToList(),
        c.Entries.Select(e => (ChainEntrySpec?)new ChainEntrySpec(e.Module, e.Table, e.Key, e.Entry)).ToList());
}
