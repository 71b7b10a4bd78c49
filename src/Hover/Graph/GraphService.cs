using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.Hover.Kernel;
using IoVisor.Hover.State;
using IoVisor.IoModules;
using Microsoft.Extensions.Logging;

namespace IoVisor.Hover.Graph;

/// <summary>
/// The single writer of the graph. Every change is validated against the desired state first,
/// then applied to the kernel step by step with an undo journal, then persisted; only then does
/// the new state become current. Changes are serialized; reads see the last committed state.
/// </summary>
public sealed partial class GraphService(
    ModuleTypeRegistry types,
    PatchPanel panel,
    ModuleLoader loader,
    StateStore store,
    ILogger<GraphService> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile GraphState _state = GraphState.Empty;
    private ImmutableDictionary<string, LoadedModule> _loaded = ImmutableDictionary<string, LoadedModule>.Empty;

    // The graph a change under way is building, while it writes table entries: an entry may name a port
    // the same change adds, and tables resolve port names through StatePortNames.
    private GraphState? _uncommitted;

    public GraphState State => _state;

    public PatchPanel Panel => panel;

    public LoadedModule Loaded(string module) =>
        _loaded.TryGetValue(module, out var m) ? m : throw new NotFoundException($"no module '{module}'");

    public ModuleState Module(string name) =>
        _state.Modules.TryGetValue(name, out var m) ? m : throw new NotFoundException($"no module '{name}'");

    public static PortState PortOf(ModuleState module, string port) =>
        module.Ports.TryGetValue(port, out var p) ? p : throw new NotFoundException($"module '{module.Name}' has no port '{port}'");

    public LinkState Link(string id) =>
        _state.Links.TryGetValue(id, out var l) ? l : throw new NotFoundException($"no link '{id}'");

    /// <summary>Adopts what is pinned and brings the kernel to the persisted desired state. Every
    /// step is idempotent and replaces in place: traffic keeps flowing through it.</summary>
    public async Task AdoptAsync(CancellationToken ct)
    {
        var state = store.Load();
        _state = state;
        await PrepareObjectsAsync(state.Modules.Values.Select(m => (m.Type, m.Config, m.Hook, Path: "")), ct);
        var refused = new List<(string Module, string Table, string Key)>();
        foreach (var m in state.Modules.Values)
        {
            var loaded = LoadModule(m);
            // An entry an earlier version took and this one refuses (a static route to the router's
            // own address) is left out and forgotten: the rest still starts.
            ApplyModuleConfig(loaded, m, (table, key, e) =>
            {
                LogEntryNotRestored(logger, m.Name, table, key, e.Message);
                refused.Add((m.Name, table, key));
            });
            panel.SetModuleProgram(m.Hook, m.Index, loaded.RxProgram);
            _loaded = _loaded.SetItem(m.Name, loaded);
        }
        if (refused.Count > 0)
        {
            state = WithoutEntries(state, refused);
            store.Save(state);
            _state = state;
        }
        foreach (var link in state.Links.Values)
        {
            try
            {
                ApplyLink(state, _loaded, link, new UndoJournal(logger));
            }
            catch (Exception e) when (e is ConfigException or BpfException)
            {
                LogLinkNotRestored(logger, link.Id, e.Message);
            }
        }
        RemoveStale(state);
        ReleaseUnusedObjects();
        LogAdopted(logger, state.Modules.Count, state.Links.Count);
    }

    private static GraphState WithoutEntries(GraphState state, IEnumerable<(string Module, string Table, string Key)> entries)
    {
        foreach (var (module, table, key) in entries)
        {
            var m = state.Modules[module];
            state = state.WithModule(m with { Entries = m.Entries.SetItem(table, m.EntriesOf(table).Remove(key)) });
        }
        return state;
    }

    /// <summary>Writes the module's config, ports and persisted entries. An entry its table refuses
    /// throws, unless <paramref name="refused"/> is given: it is then told and the others go on.</summary>
    private void ApplyModuleConfig(LoadedModule loaded, ModuleState m, Action<string, string, ConfigException>? refused = null)
    {
        loaded.Datapath.ApplyConfig(m.Config);
        foreach (var p in m.Ports.Values)
        {
            loaded.Datapath.ApplyPort(p.Index, p.Config);
        }
        // In the order the type lists its tables, not by name: an entry may name one of an earlier
        // table (an l4lb backend its service).
        // A table that writes batches gets all its entries at once: a firewall's 10,000 rules are one
        // rule set put in force, not 10,000 sets of one rule more each (quadratic: half a minute).
        foreach (var table in loaded.Tables.Select(t => t.Name))
        {
            var t = loaded.Datapath.Table(table);
            var entries = m.EntriesOf(table);
            if (t.HasPutAll && entries.Count > 1)
            {
                try
                {
                    t.PutAll([.. entries.Select(e => ((string?)e.Key, e.Value))]);
                    continue;
                }
                catch (ConfigException) when (refused is not null)
                {
                    // A refused batch wrote nothing: one at a time finds the entries refused.
                }
            }
            foreach (var (key, entry) in entries)
            {
                try
                {
                    t.Put(key, entry);
                }
                catch (ConfigException e) when (refused is not null)
                {
                    refused(table, key, e);
                }
            }
        }
    }

    /// <summary>Kernel state that no desired state explains: modules deleted while the daemon was
    /// down (or by a crash mid-delete) and netdevs no link names any more.</summary>
    private void RemoveStale(GraphState state)
    {
        foreach (var name in loader.PinnedModules().Where(n => !state.Modules.ContainsKey(n)).ToList())
        {
            loader.Unpin(name);
        }
        var used = state.Modules.Values.Select(m => m.Index).ToHashSet();
        for (var i = 1; i < IoModules.Abi.ChainAbi.MaxModules; i++)
        {
            if (!used.Contains(i))
            {
                panel.ClearModuleProgram(HookKind.Tc, i);
                panel.ClearModuleProgram(HookKind.Xdp, i);
            }
        }
        var linked = state.Links.Values
            .SelectMany(l => new[] { l.From, l.To })
            .Where(e => e.IsNetdev)
            .Select(e => Netdev.IndexOf(e.Netdev))
            .ToHashSet();
        foreach (var ifindex in panel.Netdevs.Ifindexes().ToList())
        {
            if (!linked.Contains((int)ifindex) && panel.Netdevs.TryLookup(ifindex, out var nd))
            {
                var owner = state.Modules.Values.FirstOrDefault(m => m.Index == nd.Module);
                panel.UnlinkNetdev((int)ifindex, owner?.Hook ?? HookKind.Tc);
            }
        }
        panel.Netdevs.ReconcileIndex();
    }

    public async Task<ModuleState> CreateModuleAsync(string? name, string? type, string? hook, JsonObject? config, CancellationToken ct)
    {
        var errors = new ConfigErrors();
        var draft = ModuleValidation.Module(types, name, type, hook, config, errors, path: "");
        errors.ThrowIfAny();

        var prepare = (GraphState _, CancellationToken token) => draft!.Type.PrepareAsync(draft.Config, draft.Hook, token);
        return await ChangeAsync<ModuleState>(ct, prepare, (state, journal) =>
        {
            if (state.Modules.ContainsKey(draft!.Name))
            {
                throw new ConflictException("name", $"a module named '{draft.Name}' exists");
            }
            var index = Slots.FreeModule(state.Modules.Values.Select(m => m.Index))
                ?? throw new ConflictException("name", "no free module slot");
            var module = draft.At(index);
            var loaded = LoadModule(module, journal);
            return (state.WithModule(module), module, () => _loaded = _loaded.SetItem(module.Name, loaded));
        });
    }

    public Task<ModuleState> PatchModuleAsync(string name, JsonObject? config, CancellationToken ct) =>
        ChangeAsync<ModuleState>(ct, (state, token) =>
        {
            var (module, normalized) = Patched(state, name, config);
            return Loaded(name).Type.PrepareAsync(normalized, module.Hook, token);
        }, (state, journal) =>
        {
            var (module, normalized) = Patched(state, name, config);
            var updated = module with { Config = normalized };
            var (reconfigured, free) = Reconfigure(updated, module.Config, Loaded(name), journal);
            return (state.WithModule(updated), updated, free is null ? null : () =>
            {
                _loaded = _loaded.SetItem(name, reconfigured);
                free();
            });
        });

    /// <summary>A module and its config with <paramref name="config"/> merged in, normalized.</summary>
    private (ModuleState Module, JsonObject Normalized) Patched(GraphState state, string name, JsonObject? config)
    {
        var module = state.Modules.TryGetValue(name, out var m) ? m : throw new NotFoundException($"no module '{name}'");
        var merged = module.Config.DeepClone().AsObject();
        foreach (var (k, v) in config ?? [])
        {
            merged[k] = v?.DeepClone();
        }
        return (module, Loaded(name).Type.NormalizeConfig(merged));
    }

    public Task<ModuleState> DeleteModuleAsync(string name, CancellationToken ct) =>
        ChangeAsync<ModuleState>(ct, (state, journal) =>
        {
            var module = state.Modules.TryGetValue(name, out var m) ? m : throw new NotFoundException($"no module '{name}'");
            var loaded = Loaded(name);
            var next = RemoveLinks(state, l => l.From.Module == name || l.To.Module == name, journal);
            var free = UnloadModule(module, loaded, journal);
            next = next with { Modules = next.Modules.Remove(name) };
            return (next, module, () =>
            {
                _loaded = _loaded.Remove(name);
                free();
            });
        });

    public Task<PortState> AddPortAsync(string moduleName, string? portName, JsonObject? config, CancellationToken ct) =>
        ChangeAsync<PortState>(ct, (state, journal) =>
        {
            var module = state.Modules.TryGetValue(moduleName, out var m) ? m : throw new NotFoundException($"no module '{moduleName}'");
            var loaded = Loaded(moduleName);
            var errors = new ConfigErrors();
            var normalized = ModuleValidation.Port(loaded.Type, portName, config, errors, path: "");
            errors.ThrowIfAny();
            if (module.Ports.ContainsKey(portName!))
            {
                throw new ConflictException("name", $"module '{moduleName}' has a port named '{portName}'");
            }
            var index = Slots.FreePort(module.Ports.Values.Select(p => p.Index), loaded.Type.MaxPorts)
                ?? throw new ConflictException("name", $"a {module.Type} has at most {loaded.Type.MaxPorts} ports");
            var port = new PortState(portName!, index, normalized!);
            ApplyPort(loaded, port, previous: null, journal);
            return (state.WithModule(module with { Ports = module.Ports.SetItem(port.Name, port) }), port, null);
        });

    public Task<PortState> PatchPortAsync(string moduleName, string portName, JsonObject? config, CancellationToken ct) =>
        ChangeAsync<PortState>(ct, (state, journal) =>
        {
            var module = state.Modules.TryGetValue(moduleName, out var m) ? m : throw new NotFoundException($"no module '{moduleName}'");
            var port = PortOf(module, portName);
            var loaded = Loaded(moduleName);
            var normalized = loaded.Type.NormalizePortConfig(config);
            var endpoint = new LinkEnd(moduleName, portName);
            if (state.LinkOf(endpoint) is { } link)
            {
                var other = link.From == endpoint ? link.To : link.From;
                loaded.Type.ValidatePeer(normalized, other.IsNetdev ? PeerKind.Netdev : PeerKind.Module);
            }
            var updated = port with { Config = normalized };
            ApplyPort(loaded, updated, port.Config, journal);
            return (state.WithModule(module with { Ports = module.Ports.SetItem(portName, updated) }), updated, null);
        });

    public Task<PortState> DeletePortAsync(string moduleName, string portName, CancellationToken ct) =>
        ChangeAsync<PortState>(ct, (state, journal) =>
        {
            var module = state.Modules.TryGetValue(moduleName, out var m) ? m : throw new NotFoundException($"no module '{moduleName}'");
            var port = PortOf(module, portName);
            var loaded = Loaded(moduleName);
            var endpoint = new LinkEnd(moduleName, portName);
            var next = RemoveLinks(state, l => l.From == endpoint || l.To == endpoint, journal);
            return (next.WithModule(RemovePort(loaded, module, port, journal)), port, null);
        });

    public Task<LinkState> CreateLinkAsync(string? from, string? to, CancellationToken ct)
    {
        var errors = new ConfigErrors();
        if (!LinkEnd.TryParse(from, out var a))
        {
            errors.Add("from", "must be <module>:<port> or netdev:<interface>");
        }
        if (!LinkEnd.TryParse(to, out var b))
        {
            errors.Add("to", "must be <module>:<port> or netdev:<interface>");
        }
        errors.ThrowIfAny();
        if (a.IsNetdev && b.IsNetdev)
        {
            throw new ConfigException("to", "a link needs at least one module port");
        }
        if (a.IsNetdev)
        {
            (a, b) = (b, a);
        }
        return ChangeAsync<LinkState>(ct, (state, journal) =>
        {
            var link = new LinkState($"l{state.NextLinkId}", a, b);
            LinkValidation.Validate(state, link, types);
            ApplyLink(state, _loaded, link, journal);
            return (state with { Links = state.Links.Add(link.Id, link), NextLinkId = state.NextLinkId + 1 }, link, null);
        });
    }

    public Task<LinkState> DeleteLinkAsync(string id, CancellationToken ct) =>
        ChangeAsync<LinkState>(ct, (state, journal) =>
        {
            var link = state.Links.TryGetValue(id, out var l) ? l : throw new NotFoundException($"no link '{id}'");
            RemoveLink(state, _loaded, link, journal);
            return (state with { Links = state.Links.Remove(id) }, link, null);
        });

    public Task<JsonObject> PutEntryAsync(string moduleName, string table, string? key, JsonObject entry, CancellationToken ct) =>
        ChangeAsync<JsonObject>(ct, (state, journal) =>
        {
            var (module, info, t) = TableOf(state, moduleName, table);
            if (!info.Writable)
            {
                throw new ConflictException("table", $"table '{table}' is read-only");
            }
            var written = WriteEntry(t, key, entry, journal);
            if (!info.Persistent)
            {
                return (state, written, null);
            }
            var entries = module.EntriesOf(table).SetItem(written["key"]!.GetValue<string>(), Stored(written));
            return (state.WithModule(module with { Entries = module.Entries.SetItem(table, entries) }), written, null);
        });

    public Task<bool> DeleteEntryAsync(string moduleName, string table, string key, CancellationToken ct) =>
        ChangeAsync<bool>(ct, (state, journal) =>
        {
            var (module, info, t) = TableOf(state, moduleName, table);
            var canonical = EraseEntry(t, key, journal) ?? throw new NotFoundException($"table '{table}' has no entry '{key}'");
            if (!info.Persistent)
            {
                return (state, true, null);
            }
            var entries = module.EntriesOf(table).Remove(canonical);
            return (state.WithModule(module with { Entries = module.Entries.SetItem(table, entries) }), true, null);
        });

    public Task<int> FlushTableAsync(string moduleName, string table, CancellationToken ct) =>
        ChangeAsync<int>(ct, (state, _) =>
        {
            var (module, info, t) = TableOf(state, moduleName, table);
            var count = t.Flush();
            var next = info.Persistent ? state.WithModule(module with { Entries = module.Entries.Remove(table) }) : state;
            return (next, count, null);
        });

    public (ModuleState Module, TableInfo Info, IModuleTable Table) TableOf(GraphState state, string moduleName, string table)
    {
        var module = state.Modules.TryGetValue(moduleName, out var m) ? m : throw new NotFoundException($"no module '{moduleName}'");
        var loaded = Loaded(moduleName);
        var info = loaded.Tables.FirstOrDefault(t => t.Name == table)
            ?? throw new NotFoundException($"module '{moduleName}' has no table '{table}'");
        return (module, info, loaded.Datapath.Table(table));
    }

    /// <summary>Housekeeping of every module (aging), serialized with changes one module at a time: a
    /// round over hundreds of modules must not hold a change back for all of them, only for the one
    /// being aged. A module a change replaced or removed meanwhile is skipped (its instance is freed).</summary>
    public async Task MaintainAsync(CancellationToken ct)
    {
        foreach (var name in _loaded.Keys.ToList())
        {
            await _gate.WaitAsync(ct);
            try
            {
                if (_loaded.TryGetValue(name, out var m))
                {
                    m.Datapath.Maintain();
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private Task<T> ChangeAsync<T>(CancellationToken ct, Func<GraphState, UndoJournal, (GraphState Next, T Result, Action? Commit)> change) =>
        ChangeAsync(ct, prepare: null, change);

    /// <summary>Runs one change: <c>prepare</c> first, when given, makes what the change loads (a custom
    /// module's object: compiling is slow and must not run in the synchronous change) under the same lock,
    /// so the state it sees is the one the change starts from; what it makes and nothing ends up using is
    /// released afterwards.</summary>
    private async Task<T> ChangeAsync<T>(CancellationToken ct, Func<GraphState, CancellationToken, Task>? prepare,
        Func<GraphState, UndoJournal, (GraphState Next, T Result, Action? Commit)> change)
    {
        await _gate.WaitAsync(ct);
        var journal = new UndoJournal(logger);
        var modulesBefore = _state.Modules.Count;
        try
        {
            if (prepare is not null)
            {
                await prepare(_state, ct);
            }
            var (next, result, commit) = change(_state, journal);
            if (!ReferenceEquals(next, _state))
            {
                store.Save(next);
            }
            _state = next;
            commit?.Invoke();
            return result;
        }
        catch
        {
            journal.Rollback();
            throw;
        }
        finally
        {
            if (prepare is not null || _state.Modules.Count != modulesBefore)
            {
                ReleaseUnusedObjects();
            }
            _gate.Release();
        }
    }

    private LoadedModule LoadModule(ModuleState m) =>
        loader.Load(m.Name, m.Index, m.Hook, types.Get(m.Type), m.Config, new StatePortNames(this, m.Name));

    public void Dispose()
    {
        foreach (var m in _loaded.Values)
        {
            m.Dispose();
        }
        _gate.Dispose();
    }

    /// <summary>Port names of a module as the committed state has them, or the state a change under way
    /// is building.</summary>
    private sealed class StatePortNames(GraphService graph, string module) : IModulePorts
    {
        public string? NameOf(int index) =>
            State.Modules.TryGetValue(module, out var m) ? m.PortAt(index)?.Name : null;

        public int? IndexOf(string name) =>
            State.Modules.TryGetValue(module, out var m) && m.Ports.TryGetValue(name, out var p) ? p.Index : null;

        private GraphState State => graph._uncommitted ?? graph.State;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Link {Id} not restored: {Reason}")]
    private static partial void LogLinkNotRestored(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entry {Key} of table {Table} of module {Module} not restored: {Reason}")]
    private static partial void LogEntryNotRestored(ILogger logger, string module, string table, string key, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Adopted the datapath: {Modules} modules, {Links} links")]
    private static partial void LogAdopted(ILogger logger, int modules, int links);
}
