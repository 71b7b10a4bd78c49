using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoVisor.Hover.Graph;
using IoVisor.IoModules;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.State;

/// <summary>Persists the desired state as one JSON file, replaced atomically (write a temporary file,
/// fsync, rename over the old one): a crash of the daemon leaves the old or the new state,
/// never a torn one. Parts of the state a change did not touch are not serialized again
/// (<see cref="StateFragments"/>).</summary>
public sealed class StateStore(IOptions<HoverOptions> options)
{
    private const int FormatVersion = 1;
    private readonly StateFragments _fragments = new();

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
        var temp = FilePath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                Write(writer, state);
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, FilePath, overwrite: true);
    }

    private void Write(Utf8JsonWriter writer, GraphState state)
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", FormatVersion);
        writer.WriteNumber("nextLinkId", state.NextLinkId);
        writer.WriteStartArray("modules");
        foreach (var m in state.Modules.Values)
        {
            writer.WriteRawValue(_fragments.Of(m, WriteModule), skipInputValidation: true);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("links");
        foreach (var l in state.Links.Values)
        {
            writer.WriteStartObject();
            writer.WriteString("id", l.Id);
            writer.WriteString("from", l.From.ToString());
            writer.WriteString("to", l.To.ToString());
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("chains");
        foreach (var c in state.Chains.Values)
        {
            ChainStateJson.Write(writer, c, _fragments);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteModule(Utf8JsonWriter writer, ModuleState m)
    {
        writer.WriteStartObject();
        writer.WriteString("name", m.Name);
        writer.WriteString("type", m.Type);
        writer.WriteString("hook", m.Hook.ObjectSuffix());
        writer.WriteNumber("index", m.Index);
        writer.WritePropertyName("config");
        m.Config.WriteTo(writer);
        writer.WriteStartArray("ports");
        foreach (var p in m.Ports.Values)
        {
            writer.WriteStartObject();
            writer.WriteString("name", p.Name);
            writer.WriteNumber("index", p.Index);
            writer.WritePropertyName("config");
            p.Config.WriteTo(writer);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartObject("entries");
        foreach (var (table, entries) in m.Entries)
        {
            writer.WriteStartObject(table);
            foreach (var (key, entry) in entries)
            {
                writer.WritePropertyName(key);
                entry.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

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
