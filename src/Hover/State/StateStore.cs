using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoVisor.Hover.Graph;
using IoVisor.IoModules;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.State;

/// <summary>Persists the desired state as one JSON file, replaced atomically (write a temporary file,
/// fsync, rename over the old one): a crash of the daemon leaves the old or the new state,
/// never a torn one.</summary>
public sealed class StateStore(IOptions<HoverOptions> options)
{
    private const int FormatVersion = 1;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private string FilePath => Path.Combine(options.Value.StateDir, "graph.json");

    public GraphState Load()
    {
        if (!File.Exists(FilePath))
        {
            return GraphState.Empty;
        }
        var root = JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject();
        var version = root["version"]?.GetValue<int>();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"{FilePath}: unsupported state format version {version}");
        }
        var modules = root["modules"]!.AsArray().Select(m => ReadModule(m!.AsObject()));
        var links = root["links"]!.AsArray().Select(l => ReadLink(l!.AsObject()));
        // Files written before chains existed have no "chains".
        var chains = (root["chains"]?.AsArray() ?? []).Select(c => ChainStateJson.Read(c!.AsObject()));
        return GraphState.Empty with
        {
            Modules = modules.ToImmutableSortedDictionary(m => m.Name, m => m, StringComparer.Ordinal),
            Links = links.ToImmutableSortedDictionary(l => l.Id, l => l, StringComparer.Ordinal),
            NextLinkId = root["nextLinkId"]!.GetValue<int>(),
            Chains = chains.ToImmutableSortedDictionary(c => c.Name, c => c, StringComparer.Ordinal),
        };
    }

    public void Save(GraphState state)
    {
        Directory.CreateDirectory(options.Value.StateDir);
        var root = new JsonObject
        {
            ["version"] = FormatVersion,
            ["nextLinkId"] = state.NextLinkId,
            ["modules"] = new JsonArray(state.Modules.Values.Select(m => (JsonNode)WriteModule(m)).ToArray()),
            ["links"] = new JsonArray(state.Links.Values.Select(l => (JsonNode)new JsonObject
            {
                ["id"] = l.Id,
                ["from"] = l.From.ToString(),
                ["to"] = l.To.ToString(),
            }).ToArray()),
            ["chains"] = new JsonArray(state.Chains.Values.Select(c => (JsonNode)ChainStateJson.Write(c)).ToArray()),
        };
        var temp = FilePath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, root, Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, FilePath, overwrite: true);
    }

    private static JsonObject WriteModule(ModuleState m) => new()
    {
        ["name"] = m.Name,
        ["type"] = m.Type,
        ["hook"] = m.Hook.ObjectSuffix(),
        ["index"] = m.Index,
        ["config"] = m.Config.DeepClone(),
        ["ports"] = new JsonArray(m.Ports.Values.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Name,
            ["index"] = p.Index,
            ["config"] = p.Config.DeepClone(),
        }).ToArray()),
        ["entries"] = new JsonObject(m.Entries.Select(t => KeyValuePair.Create<string, JsonNode?>(
            t.Key, new JsonObject(t.Value.Select(e => KeyValuePair.Create<string, JsonNode?>(e.Key, e.Value.DeepClone())))))),
    };

    private static ModuleState ReadModule(JsonObject o) => new(
        o["name"]!.GetValue<string>(),
        o["type"]!.GetValue<string>(),
        o["hook"]!.GetValue<string>() == "xdp" ? HookKind.Xdp : HookKind.Tc,
        o["index"]!.GetValue<int>(),
        o["config"]!.DeepClone().AsObject(),
        o["ports"]!.AsArray().Select(p => p!.AsObject()).Select(p => new PortState(
                p["name"]!.GetValue<string>(), p["index"]!.GetValue<int>(), p["config"]!.DeepClone().AsObject()))
            .ToImmutableSortedDictionary(p => p.Name, p => p, StringComparer.Ordinal),
        (o["entries"]?.AsObject() ?? []).ToImmutableSortedDictionary(
            t => t.Key,
            t => t.Value!.AsObject().ToImmutableSortedDictionary(e => e.Key, e => e.Value!.DeepClone().AsObject(), StringComparer.Ordinal),
            StringComparer.Ordinal));

    private static LinkState ReadLink(JsonObject o)
    {
        if (!LinkEnd.TryParse(o["from"]!.GetValue<string>(), out var from) || !LinkEnd.TryParse(o["to"]!.GetValue<string>(), out var to))
        {
            throw new InvalidDataException($"bad link endpoints in state: {o.ToJsonString()}");
        }
        return new LinkState(o["id"]!.GetValue<string>(), from, to);
    }
}
