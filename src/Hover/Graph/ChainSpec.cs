using System.Text.Json.Nodes;

namespace IoVisor.Hover.Graph;

/// <summary>A whole graph, applied in one atomic change: Hover creates, changes and deletes whatever
/// it takes to make the chain's modules, ports, links and entries exactly these.</summary>
/// <param name="Name">Id of the chain, stable across restarts (lab1).</param>
/// <param name="Modules">The modules the chain owns, each with its ports.</param>
/// <param name="Links">Links between ports of the chain's modules, or from one of them to a netdev ("netdev:veth0").</param>
/// <param name="Entries">Table entries of the chain's modules (bridge fdb: static entries {mac, vlan, port}).</param>
public sealed record ChainSpec(
    string? Name,
    IReadOnlyList<ChainModuleSpec?>? Modules,
    IReadOnlyList<ChainLinkSpec?>? Links,
    IReadOnlyList<ChainEntrySpec?>? Entries);

/// <summary>A module of a chain; changing its type or hook recreates it.</summary>
/// <param name="Name">Id of the module (br1).</param>
/// <param name="Type">Module type: bridge, router.</param>
/// <param name="Hook">tc (default) or xdp.</param>
/// <param name="Config">Type-specific config, as for POST /modules.</param>
/// <param name="Ports">Its ports.</param>
public sealed record ChainModuleSpec(string? Name, string? Type, string? Hook, JsonObject? Config, IReadOnlyList<ChainPortSpec?>? Ports);

/// <summary>A port of a chain's module.</summary>
/// <param name="Name">Id of the port within its module (p1).</param>
/// <param name="Config">Type-specific port config, as for POST /modules/{name}/ports.</param>
public sealed record ChainPortSpec(string? Name, JsonObject? Config);

/// <summary>A link: "br1:p1" to "netdev:veth0" or to another module's port "r1:eth0".</summary>
public sealed record ChainLinkSpec(string? From, string? To);

/// <summary>An entry of a module's table, as for POST (no key) or PUT (key) on its entries.</summary>
/// <param name="Module">A module of the chain.</param>
/// <param name="Table">One of its writable tables (fdb).</param>
/// <param name="Key">The entry's key, when it is written with PUT semantics; usually left out.</param>
/// <param name="Entry">The entry (bridge fdb: {"mac":"02:00:00:00:00:01","vlan":1,"port":"p1"}).</param>
public sealed record ChainEntrySpec(string? Module, string? Table, string? Key, JsonObject? Entry);

/// <summary>What applying a chain did, in the order it was done.</summary>
/// <param name="Name">The chain.</param>
/// <param name="Changes">Empty when the graph already matched the spec.</param>
public sealed record ChainApplyResult(string Name, IReadOnlyList<ChainChange> Changes);

/// <summary>One change a chain apply made.</summary>
/// <param name="Action">create, update or delete.</param>
/// <param name="Kind">module, port, link or entry.</param>
/// <param name="Id">The object: module "br1", port "br1:p1", link "l3", entry "br1/fdb/02:00:00:00:00:01@1".</param>
public sealed record ChainChange(string Action, string Kind, string Id);
