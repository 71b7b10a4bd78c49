using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.IoModules;

namespace IoVisor.Hover.Graph;

/// <summary>The desired state: what users asked for. Immutable; every change makes a new one, so a
/// failed change leaves the old state untouched. JSON configs are never mutated once stored.</summary>
public sealed record GraphState(
    ImmutableSortedDictionary<string, ModuleState> Modules,
    ImmutableSortedDictionary<string, LinkState> Links,
    int NextLinkId)
{
    public static GraphState Empty { get; } = new(
        ImmutableSortedDictionary.Create<string, ModuleState>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, LinkState>(StringComparer.Ordinal),
        1);

    /// <summary>The applied spec of every chain, by name: what each chain owns.</summary>
    public ImmutableSortedDictionary<string, ChainState> Chains { get; init; } =
        ImmutableSortedDictionary.Create<string, ChainState>(StringComparer.Ordinal);

    public LinkState? LinkOf(LinkEnd endpoint) =>
        Links.Values.FirstOrDefault(l => l.From == endpoint || l.To == endpoint);

    public GraphState WithModule(ModuleState module) => this with { Modules = Modules.SetItem(module.Name, module) };
}

public sealed record ModuleState(
    string Name,
    string Type,
    HookKind Hook,
    int Index,
    JsonObject Config,
    ImmutableSortedDictionary<string, PortState> Ports,
    ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, JsonObject>> Entries)
{
    public PortState? PortAt(int index) => Ports.Values.FirstOrDefault(p => p.Index == index);

    public ImmutableSortedDictionary<string, JsonObject> EntriesOf(string table) =>
        Entries.TryGetValue(table, out var e) ? e : ImmutableSortedDictionary.Create<string, JsonObject>(StringComparer.Ordinal);
}

public sealed record PortState(string Name, int Index, JsonObject Config);

public sealed record LinkState(string Id, LinkEnd From, LinkEnd To);
