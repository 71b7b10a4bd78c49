using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.IoModules;

namespace IoVisor.Hover.Graph;

/// <summary>
/// A chain's last applied spec, checked and normalized (hooks filled in, configs with their
/// defaults, links with the module end first). It is what the chain owns: applying another spec
/// deletes what this one has and the new one does not.
/// </summary>
public sealed record ChainState(string Name, ImmutableArray<ChainModule> Modules, ImmutableArray<ChainLink> Links, ImmutableArray<ChainEntry> Entries)
{
    /// <summary>A chain that owns nothing: planning towards it deletes everything a chain had.</summary>
    public static ChainState Nothing(string name) => new(name, [], [], []);

    public ChainModule? ModuleNamed(string name) => Modules.FirstOrDefault(m => m.Name == name);

    public bool Matches(ChainState? other) =>
        other is not null
        && Name == other.Name
        && Modules.Length == other.Modules.Length && Modules.Zip(other.Modules).All(p => ReferenceEquals(p.First, p.Second) || p.First.Matches(p.Second))
        && Links.SequenceEqual(other.Links)
        && Entries.Length == other.Entries.Length && Entries.Zip(other.Entries).All(p => ReferenceEquals(p.First, p.Second) || p.First.Matches(p.Second));
}

public sealed record ChainModule(string Name, string Type, HookKind Hook, JsonObject Config, ImmutableArray<ChainPort> Ports)
{
    public ChainPort? PortNamed(string name) => Ports.FirstOrDefault(p => p.Name == name);

    public bool Matches(ChainModule other) =>
        Name == other.Name && Type == other.Type && Hook == other.Hook && JsonNode.DeepEquals(Config, other.Config)
        && Ports.Length == other.Ports.Length
        && Ports.Zip(other.Ports).All(p => p.First.Name == p.Second.Name && JsonNode.DeepEquals(p.First.Config, p.Second.Config));
}

public sealed record ChainPort(string Name, JsonObject Config);

public sealed record ChainLink(LinkEnd From, LinkEnd To)
{
    /// <summary>Whether <paramref name="link"/> joins the same two ends, whichever way round.</summary>
    public bool Joins(LinkState link) =>
        (link.From == From && link.To == To) || (link.From == To && link.To == From);
}

/// <summary>An entry of a chain's spec.</summary>
/// <param name="Module">A module of the chain.</param>
/// <param name="Table">Its table.</param>
/// <param name="Key">The key the spec gave, if any.</param>
/// <param name="Entry">The entry as the spec gave it.</param>
/// <param name="AppliedKey">The key the table gave the entry when it was written: what deleting it
/// later takes. Null until the entry is written.</param>
public sealed record ChainEntry(string Module, string Table, string? Key, JsonObject Entry, string? AppliedKey)
{
    /// <summary>Whether <paramref name="other"/> is the same entry of the spec: by key when there is one,
    /// else by its content.</summary>
    public bool SameAs(ChainEntry other) =>
        Module == other.Module && Table == other.Table && Key == other.Key
        && (Key is not null || SameEntry(other));

    public bool Matches(ChainEntry other) =>
        SameAs(other) && SameEntry(other) && AppliedKey == other.AppliedKey;

    /// <summary>Whether both have the same entry: often the very same object (specs that reuse what they
    /// gave before), else one that is equal.</summary>
    public bool SameEntry(ChainEntry other) => ReferenceEquals(Entry, other.Entry) || JsonNode.DeepEquals(Entry, other.Entry);
}
