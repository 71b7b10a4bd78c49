using IoVisor.OvnBridge.Model;

namespace IoVisor.OvnBridge.Service;

/// <summary>Takes out of a graph what the target refused, with what depends on it (the links and
/// entries of a module, the links of a port), and reports each refusal against its row.</summary>
internal static class RejectedItems
{
    public static DesiredGraph Remove(DesiredGraph graph, IReadOnlyList<GraphRejection> rejections, List<UntranslatedRow> refused)
    {
        var modules = new HashSet<int>();
        var ports = new HashSet<(int, int)>();
        var links = new HashSet<int>();
        var entries = new HashSet<int>();
        foreach (var r in rejections)
        {
            var (set, source, what) = r.Kind switch
            {
                GraphItemKind.Module => (modules, graph.Modules[r.Index].Source, $"module {graph.Modules[r.Index].Name}"),
                GraphItemKind.Port => ((HashSet<int>?)null, graph.Modules[r.Index].Source, $"port {graph.Modules[r.Index].Name}:{graph.Modules[r.Index].Ports[r.PortIndex].Name}"),
                GraphItemKind.Link => (links, graph.Links[r.Index].Source, $"link {graph.Links[r.Index].From} - {graph.Links[r.Index].To}"),
                _ => (entries, graph.Entries[r.Index].Source, $"{graph.Entries[r.Index].Table} entry of {graph.Entries[r.Index].Module}"),
            };
            if (set is null)
            {
                ports.Add((r.Index, r.PortIndex));
            }
            else
            {
                set.Add(r.Index);
            }
            refused.Add(UntranslatedRow.Of(source, $"Hover refused the {what}: {r.Message}"));
        }
        var goneModules = modules.Select(i => graph.Modules[i].Name).ToHashSet(StringComparer.Ordinal);
        var goneEnds = ports.Select(p => $"{graph.Modules[p.Item1].Name}:{graph.Modules[p.Item1].Ports[p.Item2].Name}").ToHashSet(StringComparer.Ordinal);
        bool Gone(string end) => goneEnds.Contains(end) || goneModules.Contains(end[..end.IndexOf(':', StringComparison.Ordinal)]);
        return new DesiredGraph(
            [.. graph.Modules.Select((m, i) => (m, i)).Where(x => !modules.Contains(x.i))
                .Select(x => x.m with { Ports = [.. x.m.Ports.Where((_, j) => !ports.Contains((x.i, j)))] })],
            [.. graph.Links.Where((l, i) => !links.Contains(i) && !Gone(l.From) && !Gone(l.To))],
            [.. graph.Entries.Where((e, i) => !entries.Contains(i) && !goneModules.Contains(e.Module))]);
    }
}
