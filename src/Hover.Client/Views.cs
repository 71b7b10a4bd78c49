using System.Text.Json.Nodes;

namespace IoVisor.Hover.Client;

/// <summary>A module port; <paramref name="Peer"/> is what it is linked to ("netdev:veth0", "r1:eth0"), if anything.</summary>
public sealed record PortView(string Name, int Index, JsonObject Config, string? Peer);

/// <summary>A module with its ports.</summary>
public sealed record ModuleView(string Name, string Type, string Hook, int Index, JsonObject Config, IReadOnlyList<PortView> Ports);

/// <summary>A link between a module port and a netdev or another module port.</summary>
public sealed record LinkView(string Id, string From, string To);

/// <summary>A table a module exposes; entries are addressed by keys in <paramref name="KeyFormat"/>.</summary>
public sealed record TableView(string Name, string Description, string KeyFormat, bool Writable);

/// <summary>Counters of one port.</summary>
public sealed record PortStatsView(string Port, ulong RxPackets, ulong RxBytes, ulong TxPackets, ulong TxBytes, ulong Drops);

/// <summary>A module's counters.</summary>
/// <param name="Module">The module.</param>
/// <param name="Ports">Datapath counters per port.</param>
/// <param name="SlowPath">Slow-path counters: punted.&lt;reason&gt;, injected, held, released, dropped.&lt;reason&gt;.</param>
public sealed record ModuleStatsView(string Module, IReadOnlyList<PortStatsView> Ports, IReadOnlyDictionary<string, long> SlowPath);

/// <summary>A network interface of the daemon's namespace; <paramref name="Link"/> is the module port linked to it, if any.</summary>
public sealed record InterfaceView(string Name, int Ifindex, string? Mac, bool Up, string? Link);

/// <summary>Liveness and a summary of the daemon.</summary>
public sealed record HealthView(string Status, int Modules, int Links, string BpffsDir, string StateDir, string InjectionDevice);

/// <summary>How many entries a flush removed.</summary>
public sealed record FlushResult(int Removed);
