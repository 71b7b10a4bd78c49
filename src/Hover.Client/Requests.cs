using System.Text.Json.Nodes;

namespace IoVisor.Hover.Client;

/// <summary>A module to create (<c>POST /modules</c>).</summary>
/// <param name="Name">Id of the module, stable across restarts (br1).</param>
/// <param name="Type">Module type, e.g. bridge.</param>
/// <param name="Hook">tc (the daemon's default when null) or xdp.</param>
/// <param name="Config">Type-specific config; bridge: {"agingSeconds": 300}.</param>
public sealed record ModuleCreateRequest(string Name, string Type, string? Hook = null, JsonObject? Config = null);

/// <summary>Fields of a module's config to change; merged into the current config.</summary>
public sealed record ModulePatchRequest(JsonObject Config);

/// <summary>A port to add; bridge config: {"mode":"access","vlan":10} or {"mode":"trunk","vlans":[10,20],"nativeVlan":1}.</summary>
public sealed record PortCreateRequest(string Name, JsonObject? Config = null);

/// <summary>A port's new config; replaces the old one.</summary>
public sealed record PortPatchRequest(JsonObject Config);

/// <summary>A link from a module port ("br1:p1") to a netdev ("netdev:veth0") or to another module port ("r1:eth0").</summary>
public sealed record LinkRequest(string From, string To);
