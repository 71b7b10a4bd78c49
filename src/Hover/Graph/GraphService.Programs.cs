using System.Text.Json.Nodes;
using IoVisor.Hover.Kernel;
using IoVisor.IoModules;
using Microsoft.Extensions.Logging;

namespace IoVisor.Hover.Graph;

/// <summary>Modules whose program comes with their config (custom modules): their objects are prepared
/// before the change that loads them, a new program replaces the old by a reload, and objects no module
/// uses any more are released.</summary>
public sealed partial class GraphService
{
    /// <summary>Prepares the object of each module (type name, config, hook); a config error is named under
    /// the module's <c>Path</c> ("modules[2]." in a chain).</summary>
    private async Task PrepareObjectsAsync(IEnumerable<(string Type, JsonObject Config, HookKind Hook, string Path)> modules, CancellationToken ct)
    {
        foreach (var (type, config, hook, path) in modules)
        {
            try
            {
                await types.Get(type).PrepareAsync(config, hook, ct);
            }
            catch (ConfigException e) when (path.Length > 0)
            {
                throw new ConfigException(e.Errors.Under(path).ToList());
            }
        }
    }

    /// <summary>Tells every type which of its objects the committed state still uses.</summary>
    private void ReleaseUnusedObjects()
    {
        foreach (var type in types.Names.Select(types.Get))
        {
            try
            {
                var inUse = _state.Modules.Values.Where(m => m.Type == type.Name)
                    .Select(m => type.ObjectPathFor(m.Config, m.Hook))
                    .OfType<string>()
                    .ToHashSet(StringComparer.Ordinal);
                type.ReleaseUnused(inUse);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ConfigException)
            {
                LogReleaseFailed(logger, type.Name, e);
            }
        }
    }

    /// <summary>Gives a module a new config: written into its maps, or, when the config names another
    /// object (a custom module's new program) or other map sizes (connection tables), by a reload. Returns the instance that serves the module
    /// afterwards and, after a reload, what frees the old one once the change is saved.</summary>
    private (LoadedModule Loaded, Action? Free) Reconfigure(ModuleState updated, JsonObject previous, LoadedModule loaded, UndoJournal journal)
    {
        var type = loaded.Type;
        if (type.ObjectPathFor(updated.Config, updated.Hook) == type.ObjectPathFor(previous, updated.Hook) &&
            type.MapSizesFor(updated.Config).OrderBy(s => s.Key, StringComparer.Ordinal)
                .SequenceEqual(type.MapSizesFor(previous).OrderBy(s => s.Key, StringComparer.Ordinal)))
        {
            ApplyModuleConfig(loaded, updated.Config, previous, journal);
            return (loaded, null);
        }
        return Reload(updated, loaded, journal);
    }

    /// <summary>Loads the module's new object with maps of its own (the old ones are set aside, and freed
    /// with the old instance), writes its config, ports and persisted entries, and swaps its program into
    /// the module's patch-panel slot. Ports, links and counters live in the shared maps: they stay.</summary>
    private (LoadedModule Loaded, Action Free) Reload(ModuleState updated, LoadedModule previous, UndoJournal journal)
    {
        var aside = "";
        journal.Do("set pins aside", () => aside = loader.SetAside(updated.Name), () => loader.Restore(updated.Name, aside));
        LoadedModule? loaded = null;
        journal.Do("load new program", () =>
        {
            try
            {
                loaded = LoadModule(updated);
            }
            catch
            {
                // libbpf pins maps before it loads programs: a refused program leaves them behind.
                loader.Unpin(updated.Name);
                throw;
            }
        }, () =>
        {
            loaded!.Dispose();
            loader.Unpin(updated.Name);
        });
        try
        {
            ApplyModuleConfig(loaded!, updated);
        }
        catch (ConfigException e)
        {
            // The new maps hold less than the old ones did (firewall config.maxRules): it is the
            // config that is at fault, not an entry the user did not touch.
            throw new ConfigException("config", $"the module's entries do not fit this config: {e.Errors[0].Message}");
        }
        journal.Do("swap program", () => panel.SetModuleProgram(updated.Hook, updated.Index, loaded!.RxProgram),
            () => panel.SetModuleProgram(updated.Hook, updated.Index, previous.RxProgram));
        return (loaded!, () =>
        {
            previous.Dispose();
            loader.Unpin(aside);
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the unused objects of {Type} modules")]
    private static partial void LogReleaseFailed(ILogger logger, string type, Exception e);
}
