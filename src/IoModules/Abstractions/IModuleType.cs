using System.Text.Json.Nodes;

namespace IoVisor.IoModules;

/// <summary>
/// A kind of IOModule (bridge, router, ...): its config schema and validation, its tables,
/// and how a loaded instance is driven. One instance of this class serves every module of the type.
/// </summary>
public interface IModuleType
{
    /// <summary>The "type" users give: "bridge".</summary>
    string Name { get; }

    /// <summary>Base name of the BPF object: bridge → bpf/bridge.tc.o and bpf/bridge.xdp.o.</summary>
    string ObjectName { get; }

    /// <summary>Highest port count a module of this type supports.</summary>
    int MaxPorts { get; }

    IReadOnlyList<TableInfo> Tables { get; }

    /// <summary>Validates a module config and fills in defaults; throws <see cref="ConfigException"/>
    /// with fields named "config.x".</summary>
    JsonObject NormalizeConfig(JsonObject? config);

    /// <summary>Validates a port config and fills in defaults; throws <see cref="ConfigException"/>.</summary>
    JsonObject NormalizePortConfig(JsonObject? config);

    /// <summary>Checks that a port may have this peer (e.g. a bridge trunk port cannot face a module).</summary>
    void ValidatePeer(JsonObject portConfig, PeerKind peer);

    /// <summary>Drives a loaded instance: its object is loaded and its maps pinned.</summary>
    IModuleDatapath Bind(ModuleObject module);
}

/// <summary>A table a module exposes over REST.</summary>
/// <param name="Persistent">Entries written through the API are config: the daemon persists them and
/// writes them again when the module is recreated.</param>
public sealed record TableInfo(string Name, string Description, string KeyFormat, bool Writable, bool Persistent);
