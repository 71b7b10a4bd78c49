using System.Collections.Immutable;
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

    /// <summary>The object an instance with this (normalized) config loads for its hook, when it is not the
    /// type's prebuilt one (<see cref="ObjectName"/>): a user-supplied module's. It must have been made by
    /// <see cref="PrepareAsync"/>. A different path for a new config means a new program: the module is
    /// reloaded.</summary>
    string? ObjectPathFor(JsonObject config, HookKind hook) => null;

    /// <summary>Sizes of the instance's own maps that its (normalized) config sets, by map name, where they
    /// differ from the object's definitions (connection tables). A different size for a new config means
    /// new maps: the module is reloaded.</summary>
    IReadOnlyDictionary<string, uint> MapSizesFor(JsonObject config) => ImmutableDictionary<string, uint>.Empty;

    /// <summary>Makes the object <see cref="ObjectPathFor"/> names, when it is not there yet (compiles a
    /// source, checks an uploaded object); throws <see cref="ConfigException"/> with fields named "config.x".
    /// Called before the change that loads the instance; slow, so it takes the request's token.</summary>
    Task PrepareAsync(JsonObject config, HookKind hook, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Drops what <see cref="PrepareAsync"/> made for objects no module uses any more
    /// (<paramref name="inUse"/>: the paths of the graph's instances of this type), e.g. after a delete
    /// or a refused load. Called after every change and at start.</summary>
    void ReleaseUnused(IReadOnlySet<string> inUse)
    {
    }
}

/// <summary>A table a module exposes over REST.</summary>
/// <param name="Persistent">Entries written through the API are config: the daemon persists them and
/// writes them again when the module is recreated.</param>
public sealed record TableInfo(string Name, string Description, string KeyFormat, bool Writable, bool Persistent);
