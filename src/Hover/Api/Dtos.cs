using System.Text.Json.Nodes;
using IoVisor.Hover.Graph;

namespace IoVisor.Hover.Api;

/// <summary>A module to create.</summary>
/// <param name="Name">Id of the module, stable across restarts (br1).</param>
/// <param name="Type">Module type: bridge or router.</param>
/// <param name="Hook">tc (default) or xdp.</param>
/// <param name="Config">Type-specific config; bridge: {"agingSeconds": 300}; router: {"arpAgingSeconds": 300, "holdQueueLength": 64, "arpRetries": 3, "arpRetryIntervalMs": 1000, "icmpErrorsPerSecond": 1000}.</param>
public sealed record ModuleCreateRequest(string? Name, string? Type, string? Hook, JsonObject? Config);

/// <summary>Fields of a module's config to change (merged into the current config).</summary>
public sealed record ModulePatchRequest(JsonObject? Config);

/// <summary>A port to add; bridge config: {"mode":"access","vlan":10} or {"mode":"trunk","vlans":[10,20],"nativeVlan":1};
/// router config: {"mac":"02:00:00:00:01:01","addresses":["10.0.1.1/24"]}.</summary>
public sealed record PortCreateRequest(string? Name, JsonObject? Config);

/// <summary>A port's new config (replaces the old one).</summary>
public sealed record PortPatchRequest(JsonObject? Config);

/// <summary>A link between a module port and a netdev ("netdev:veth0") or another module port ("r1:eth0").</summary>
public sealed record LinkRequest(string? From, string? To);

public sealed record PortView(string Name, int Index, JsonObject Config, string? Peer);

public sealed record ModuleView(string Name, string Type, string Hook, int Index, JsonObject Config, IReadOnlyList<PortView> Ports);

public sealed record LinkView(string Id, string From, string To);

public sealed record TableView(string Name, string Description, string KeyFormat, bool Writable);

public sealed record PortStatsView(string Port, ulong RxPackets, ulong RxBytes, ulong TxPackets, ulong TxBytes, ulong Drops);

/// <summary>A module's counters.</summary>
/// <param name="Module">The module.</param>
/// <param name="Ports">Datapath counters per port.</param>
/// <param name="SlowPath">Slow-path counters: punted.&lt;reason&gt;, injected, held, released, dropped.&lt;reason&gt;.</param>
public sealed record ModuleStatsView(string Module, IReadOnlyList<PortStatsView> Ports, IReadOnlyDictionary<string, long> SlowPath);

public sealed record InterfaceView(string Name, int Ifindex, string? Mac, bool Up, string? Link);

public sealed record HealthView(string Status, int Modules, int Links, string BpffsDir, string StateDir, string InjectionDevice);

public sealed record FlushResult(int Removed);

internal static class Views
{
    public static ModuleView Of(ModuleState m, GraphState state) => new(
        m.Name, m.Type, m.Hook.ToString().ToLowerInvariant(), m.Index, m.Config,
        m.Ports.Values.OrderBy(p => p.Index).Select(p => Of(m, p, state)).ToList());

    public static PortView Of(ModuleState m, PortState p, GraphState state)
    {
        var self = new LinkEnd(m.Name, p.Name);
        var link = state.LinkOf(self);
        var peer = link is null ? null : (link.From == self ? link.To : link.From).ToString();
        return new PortView(p.Name, p.Index, p.Config, peer);
    }

    public static LinkView Of(LinkState l) => new(l.Id, l.From.ToString(), l.To.ToString());
}
