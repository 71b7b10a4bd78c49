using System.Text.Json.Nodes;

namespace IoVisor.OvnBridge.Model;

/// <summary>
/// The module graph an OVN deployment asks for on this host, shaped like a Hover chain spec: its
/// modules with their ports, the links between module ports or to netdevs ("netdev:veth1"), and
/// table entries, each with the row it came from. JSON objects here are never changed once made.
/// </summary>
public sealed record DesiredGraph(IReadOnlyList<DesiredModule> Modules, IReadOnlyList<DesiredLink> Links, IReadOnlyList<DesiredEntry> Entries)
{
    /// <summary>Whether both graphs ask for the same thing, in the same order.</summary>
    public bool SameAs(DesiredGraph other) =>
        Modules.Count == other.Modules.Count && Links.Count == other.Links.Count && Entries.Count == other.Entries.Count
        && Modules.Zip(other.Modules).All(p => p.First.SameAs(p.Second))
        && Links.Zip(other.Links).All(p => p.First.From == p.Second.From && p.First.To == p.Second.To)
        && Entries.Zip(other.Entries).All(p => p.First.SameAs(p.Second));
}

/// <summary>A module with its config and ports.</summary>
/// <param name="Name">Satisfies Hover's module name rules.</param>
/// <param name="Type">bridge, router, nat, l4lb, firewall.</param>
/// <param name="Hook">tc or xdp; linked modules share it.</param>
/// <param name="Config">The module config, as for POST /modules.</param>
/// <param name="Ports">Its ports, in order.</param>
/// <param name="Source">The row it was made from.</param>
public sealed record DesiredModule(string Name, string Type, string Hook, JsonObject Config, IReadOnlyList<DesiredPort> Ports, RowRef Source)
{
    public bool SameAs(DesiredModule other) =>
        Name == other.Name && Type == other.Type && Hook == other.Hook && JsonNode.DeepEquals(Config, other.Config)
        && Ports.Count == other.Ports.Count
        && Ports.Zip(other.Ports).All(p => p.First.Name == p.Second.Name && JsonNode.DeepEquals(p.First.Config, p.Second.Config));
}

public sealed record DesiredPort(string Name, JsonObject Config);

/// <summary>"module:port" to "module:port" or "netdev:name".</summary>
public sealed record DesiredLink(string From, string To, RowRef Source);

/// <summary>An entry of a module's table.</summary>
/// <param name="Module">A module of the graph.</param>
/// <param name="Table">One of its writable tables.</param>
/// <param name="Key">The entry's key in its table when the translation knows it (firewall rules):
/// Hover then writes it with PUT semantics and recognizes it by the key.</param>
/// <param name="Entry">The entry, as for POST on the table's entries.</param>
/// <param name="Source">The row it was made from.</param>
public sealed record DesiredEntry(string Module, string Table, string? Key, JsonObject Entry, RowRef Source)
{
    public bool SameAs(DesiredEntry other) =>
        Module == other.Module && Table == other.Table && Key == other.Key && (ReferenceEquals(Entry, other.Entry) || JsonNode.DeepEquals(Entry, other.Entry));
}
