using System.Text.Json.Nodes;
using IoVisor.Hover.Graph;
using IoVisor.IoModules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoVisor.Hover.Api;

public static class TablesApi
{
    public static IEndpointRouteBuilder MapTablesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/modules/{name}/tables").WithTags("Tables");

        group.MapGet("/", (string name, GraphService graph) =>
        {
            graph.Module(name);
            return graph.Loaded(name).Tables.Select(t => new TableView(t.Name, t.Description, t.KeyFormat, t.Writable)).ToList();
        }).WithSummary("List a module's tables").ProducesProblems(404);

        group.MapGet("/{table}/entries", (string name, string table, HttpRequest request, GraphService graph) =>
            EntryFilter.Apply(graph.TableOf(graph.State, name, table).Table.List(), request.Query))
            .WithSummary("List a table's entries; query parameters filter on top-level fields (?proto=tcp&dst=10.0.0.2)")
            .ProducesProblems(404);

        group.MapPost("/{table}/entries", async Task<Created<JsonObject>> (string name, string table, JsonObject body, GraphService graph, CancellationToken ct) =>
        {
            var e = await graph.PutEntryAsync(name, table, null, body, ct);
            return TypedResults.Created($"/modules/{name}/tables/{table}/entries/{Uri.EscapeDataString(e["key"]!.GetValue<string>())}", e);
        }).WithSummary("Add an entry (bridge fdb: {mac, vlan, port}; router routes: {prefix, nextHop, port}; router arp: {address, mac, port})").ProducesProblems(400, 404);

        group.MapDelete("/{table}/entries", async (string name, string table, GraphService graph, CancellationToken ct) =>
            new FlushResult(await graph.FlushTableAsync(name, table, ct)))
            .WithSummary("Flush a table").ProducesProblems(404);

        group.MapPut("/{table}/entries", async (string name, string table, JsonArray body, GraphService graph, CancellationToken ct) =>
            await graph.ReplaceEntriesAsync(name, table, EntriesOf(body), ct))
            .WithSummary("Replace all entries at once (firewall rules): validated as a whole (errors name entries[i].field), applied so that traffic sees the old entries or the new, never a mix")
            .ProducesProblems(400, 404, 409);

        group.MapGet("/{table}/entries/{key}", (string name, string table, string key, GraphService graph) =>
            graph.TableOf(graph.State, name, table).Table.Get(KeyOf(key)) ?? throw new NotFoundException($"table '{table}' has no entry '{key}'"))
            .WithSummary("Get an entry").ProducesProblems(400, 404);

        group.MapPut("/{table}/entries/{key}", async (string name, string table, string key, JsonObject body, GraphService graph, CancellationToken ct) =>
            await graph.PutEntryAsync(name, table, KeyOf(key), body, ct))
            .WithSummary("Create or replace an entry").ProducesProblems(400, 404);

        group.MapDelete("/{table}/entries/{key}", async Task<NoContent> (string name, string table, string key, GraphService graph, CancellationToken ct) =>
        {
            await graph.DeleteEntryAsync(name, table, KeyOf(key), ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete an entry").ProducesProblems(400, 404);

        return app;
    }

    private static List<JsonObject> EntriesOf(JsonArray body)
    {
        var errors = new ConfigErrors();
        for (var i = 0; i < body.Count; i++)
        {
            if (body[i] is not JsonObject)
            {
                errors.Add($"entries[{i}]", "must be an object");
            }
        }
        errors.ThrowIfAny();
        return body.Select(e => e!.AsObject()).ToList();
    }

    /// <summary>Keys may hold a slash (a route's 10.1.0.0/16), which a path segment carries as %2F
    /// and routing leaves encoded.</summary>
    private static string KeyOf(string pathSegment) => Uri.UnescapeDataString(pathSegment);
}
