using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.Hover.Graph;
using IoVisor.IoModules;

namespace IoVisor.Hover.State;

/// <summary>How a chain's applied spec is kept in graph.json.</summary>
internal static class ChainStateJson
{
    public static JsonObject Write(ChainState c) => new()
    {
        ["name"] = c.Name,
        ["modules"] = new JsonArray(c.Modules.Select(m => (JsonNode)new JsonObject
        {
            ["name"] = m.Name,
            ["type"] = m.Type,
            ["hook"] = m.Hook.ObjectSuffix(),
            ["config"] = m.Config.DeepClone(),
            ["ports"] = new JsonArray(m.Ports.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Name,
                ["config"] = p.Config.DeepClone(),
            }).ToArray()),
        }).ToArray()),
        ["links"] = new JsonArray(c.Links.Select(l => (JsonNode)new JsonObject
        {
            ["from"] = l.From.ToString(),
            ["to"] = l.To.ToString(),
        }).ToArray()),
        ["entries"] = new JsonArray(c.Entries.Select(e => (JsonNode)new JsonObject
        {
            ["module"] = e.Module,
            ["table"] = e.Table,
            ["key"] = e.Key,
            ["entry"] = e.Entry.DeepClone(),
            ["appliedKey"] = e.AppliedKey,
        }).ToArray()),
    };

    public static ChainState Read(JsonObject o) => new(
        o["name"]!.GetValue<string>(),
        [.. o["modules"]!.AsArray().Select(m => m!.AsObject()).Select(m => new ChainModule(
            m["name"]!.GetValue<string>(),
            m["type"]!.GetValue<string>(),
            m["hook"]!.GetValue<string>() == "xdp" ? HookKind.Xdp : HookKind.Tc,
            m["config"]!.DeepClone().AsObject(),
            [.. m["ports"]!.AsArray().Select(p => new ChainPort(p!["name"]!.GetValue<string>(), p["config"]!.DeepClone().AsObject()))]))],
        [.. o["links"]!.AsArray().Select(l => new ChainLink(End(l!["from"]), End(l["to"])))],
        [.. o["entries"]!.AsArray().Select(e => new ChainEntry(
            e!["module"]!.GetValue<string>(),
            e["table"]!.GetValue<string>(),
            e["key"]?.GetValue<string>(),
            e["entry"]!.DeepClone().AsObject(),
            e["appliedKey"]?.GetValue<string>()))]);

    private static LinkEnd End(JsonNode? node) =>
        LinkEnd.TryParse(node?.GetValue<string>(), out var end) ? end : throw new InvalidDataException($"bad link end in a chain: {node}");
}
