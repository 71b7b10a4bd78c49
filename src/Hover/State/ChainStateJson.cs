using System.Text.Json;
using System.Text.Json.Nodes;
using IoVisor.Hover.Graph;
using IoVisor.IoModules;

namespace IoVisor.Hover.State;

/// <summary>How a chain's applied spec is kept in graph.json.</summary>
internal static class ChainStateJson
{
    /// <summary>Writes the chain; its modules and entries come from <paramref name="fragments"/>.</summary>
    public static void Write(Utf8JsonWriter writer, ChainState c, StateFragments fragments)
    {
        writer.WriteStartObject();
        writer.WriteString("name", c.Name);
        writer.WriteStartArray("modules");
        foreach (var m in c.Modules)
        {
            writer.WriteRawValue(fragments.Of(m, WriteModule), skipInputValidation: true);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("links");
        foreach (var l in c.Links)
        {
            writer.WriteStartObject();
            writer.WriteString("from", l.From.ToString());
            writer.WriteString("to", l.To.ToString());
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("entries");
        foreach (var e in c.Entries)
        {
            writer.WriteRawValue(fragments.Of(e, WriteEntry), skipInputValidation: true);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteModule(Utf8JsonWriter writer, ChainModule m)
    {
        writer.WriteStartObject();
        writer.WriteString("name", m.Name);
        writer.WriteString("type", m.Type);
        writer.WriteString("hook", m.Hook.ObjectSuffix());
        writer.WritePropertyName("config");
        m.Config.WriteTo(writer);
        writer.WriteStartArray("ports");
        foreach (var p in m.Ports)
        {
            writer.WriteStartObject();
            writer.WriteString("name", p.Name);
            writer.WritePropertyName("config");
            p.Config.WriteTo(writer);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter writer, ChainEntry e)
    {
        writer.WriteStartObject();
        writer.WriteString("module", e.Module);
        writer.WriteString("table", e.Table);
        writer.WriteString("key", e.Key);
        writer.WritePropertyName("entry");
        e.Entry.WriteTo(writer);
        writer.WriteString("appliedKey", e.AppliedKey);
        writer.WriteEndObject();
    }

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
