using System.Text.Json.Nodes;
using IoVisor.OvnBridge.Model;

namespace IoVisor.OvnBridge.Translation;

/// <summary>Accumulates a <see cref="DesiredGraph"/>: module names stay unique, and when Hover
/// has fewer free module slots than the graph needs, the modules added last are left out (with
/// their links and entries) and reported.</summary>
internal sealed class GraphBuilder(string hook)
{
    private readonly List<DesiredModule> modules = [];
    private readonly List<DesiredLink> links = [];
    private readonly List<DesiredEntry> entries = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    /// <summary>Takes a module name: <paramref name="name"/>, or, if another module has it
    /// already (two switches of one name), a name made unique with the hash of the source row.</summary>
    public string Reserve(string name, RowRef source)
    {
        if (!names.Add(name))
        {
            var suffix = "-" + GraphNames.Hash(source.Uuid.ToString());
            name = name[..Math.Min(name.Length, GraphNames.MaxLength - suffix.Length)] + suffix;
            names.Add(name);
        }
        return name;
    }

    /// <summary>Adds a module under a name <see cref="Reserve"/> gave.</summary>
    public void AddModule(string name, string type, JsonObject config, IReadOnlyList<DesiredPort> ports, RowRef source) =>
        modules.Add(new DesiredModule(name, type, hook, config, ports, source));

    public void Link(string from, string to, RowRef source) => links.Add(new DesiredLink(from, to, source));

    public void Entry(string module, string table, JsonObject entry, RowRef source, string? key = null) =>
        entries.Add(new DesiredEntry(module, table, key, entry, source));

    public DesiredGraph Build(int moduleCapacity, Untranslated untranslated)
    {
        if (modules.Count <= moduleCapacity)
        {
            return new DesiredGraph([.. modules], [.. links], [.. entries]);
        }
        var kept = modules.Take(Math.Max(0, moduleCapacity)).ToList();
        foreach (var dropped in modules.Skip(kept.Count))
        {
            untranslated.Add(dropped.Source, $"no module slot left for {dropped.Name}: Hover has {moduleCapacity} free for OVN");
        }
        var keptNames = kept.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        bool Keeps(string end) => end.StartsWith("netdev:", StringComparison.Ordinal) || keptNames.Contains(end[..end.IndexOf(':', StringComparison.Ordinal)]);
        return new DesiredGraph(
            kept,
            [.. links.Where(l => Keeps(l.From) && Keeps(l.To))],
            [.. entries.Where(e => keptNames.Contains(e.Module))]);
    }
}
