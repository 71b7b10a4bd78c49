using System.Text.Json.Nodes;
using IoVisor.OvnBridge.Model;

namespace IoVisor.OvnBridge.Tests.Harness;

/// <summary>Short questions tests ask of a graph.</summary>
internal static class GraphQueries
{
    public static DesiredModule Module(this DesiredGraph graph, string name) =>
        graph.Modules.SingleOrDefault(m => m.Name == name) ?? throw new InvalidOperationException($"no module {name} in: {string.Join(", ", graph.Modules.Select(m => m.Name))}");

    public static bool HasModule(this DesiredGraph graph, string name) => graph.Modules.Any(m => m.Name == name);

    public static IEnumerable<JsonObject> EntriesOf(this DesiredGraph graph, string module, string table) =>
        graph.Entries.Where(e => e.Module == module && e.Table == table).Select(e => e.Entry);

    /// <summary>Whether the two ends are linked, whichever way round.</summary>
    public static bool Links(this DesiredGraph graph, string a, string b) =>
        graph.Links.Any(l => (l.From == a && l.To == b) || (l.From == b && l.To == a));

    public static string Describe(this DesiredGraph graph) =>
        $"modules: {string.Join(", ", graph.Modules.Select(m => $"{m.Name}({string.Join(",", m.Ports.Select(p => p.Name))})"))}; " +
        $"links: {string.Join(", ", graph.Links.Select(l => $"{l.From}-{l.To}"))}";
}
