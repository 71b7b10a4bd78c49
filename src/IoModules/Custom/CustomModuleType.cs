using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoVisor.IoModules.Custom;

/// <summary>
/// User-supplied modules: the program comes with the module, as BPF C source compiled on the server or as a
/// compiled ELF object, and plugs into the chain ABI like a built-in (handle_rx, hover_module.h). Ports are
/// plain (any name, no config); the object's own maps are the tables.
/// </summary>
public sealed class CustomModuleType : IModuleType
{
    private readonly IOptions<CustomModuleOptions> _options;
    private readonly ObjectStore _store;

    // Parsing a config decodes and hashes its program; a stored config is never mutated, so once is enough.
    private readonly ConditionalWeakTable<JsonObject, CustomProgram> _programs = [];

    public CustomModuleType(IOptions<CustomModuleOptions> options, ILogger<CustomModuleType> logger)
    {
        _options = options;
        _store = new ObjectStore(options, new ClangCompiler(options, logger), logger);
    }

    public string Name => "custom";

    /// <summary>Unused: every instance names its own object (<see cref="ObjectPathFor"/>).</summary>
    public string ObjectName => "custom";

    public int MaxPorts => Abi.ChainAbi.MaxPorts;

    /// <summary>None for the type: each instance's tables are its program's maps.</summary>
    public IReadOnlyList<TableInfo> Tables => [];

    public JsonObject NormalizeConfig(JsonObject? config) => CustomProgram.Parse(config, _options.Value).ToJson();

    public JsonObject NormalizePortConfig(JsonObject? config)
    {
        var errors = new ConfigErrors("config");
        foreach (var (name, _) in config ?? [])
        {
            errors.Add(name, "unknown field: a custom module's ports take no config (its program tells them apart by index)");
        }
        errors.ThrowIfAny();
        return [];
    }

    public void ValidatePeer(JsonObject portConfig, PeerKind peer)
    {
    }

    public IModuleDatapath Bind(ModuleObject module) => new CustomDatapath(module);

    public string ObjectPathFor(JsonObject config, HookKind hook) => _store.PathOf(ProgramOf(config), hook);

    public Task PrepareAsync(JsonObject config, HookKind hook, CancellationToken ct) => _store.PrepareAsync(ProgramOf(config), hook, ct);

    public void ReleaseUnused(IReadOnlySet<string> inUse) => _store.RemoveAllBut(inUse);

    private CustomProgram ProgramOf(JsonObject config) =>
        _programs.GetValue(config, c => CustomProgram.Parse(c, _options.Value));
}
