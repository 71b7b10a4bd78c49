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
    public void Adopt()
    {
        var state = store.Load();
        _state = state;
        foreach (var m in state.Modules.Values)
        {
            var loaded = LoadModule(m);
            ApplyModuleConfig(loaded, m);
            panel.SetModuleProgram(m.Hook, m.Index, loaded.RxProgram);
            _loaded = _loaded.SetItem(m.Name, loaded);
        }
        foreach (var link in state.Links.Values)
        {
            try
            {
                ApplyLink(state, link, new UndoJournal(logger));
            }
            catch (Exception e) when (e is ConfigException or BpfException)
            {
                LogLinkNotRestored(logger, link.Id, e.Message);
            }
        }
        RemoveStale(state);
        LogAdopted(logger, state.Modules.Count, state.Links.Count);
    }

    private void ApplyModuleConfig(LoadedModule loaded, ModuleState m)
    {
        loaded.Datapath.ApplyConfig(m.Config);
        foreach (var p in m.Ports.Values)
        {
            loaded.Datapath.ApplyPort(p.Index, p.Config);
        }
        foreach (var (table, entries) in m.Entries)
        {
            foreach (var (key, entry) in entries)
            {
                loaded.Datapath.Table(table).Put(key, entry);
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
        foreach (var ifindex in panel.Netdevs.Keys().ToList())
        {
            if (!linked.Contains((int)ifindex) && panel.Netdevs.TryLookup(ifindex, out var nd))
            {
                var owner = state.Modules.Values.FirstOrDefault(m => m.Index == nd.Module);
                panel.UnlinkNetdev((int)ifindex, owner?.Hook ?? HookKind.Tc);
            }
        }
    }

    public async Task<ModuleState> CreateModuleAsync(string? name, string? type, string? hook, JsonObject? config, CancellationToken ct)
    {
        var errors = new ConfigErrors();
        if (!Names.IsValid(name))
        {
            errors.Add("name", Names.Rule);
        }
        var moduleType = type is null ? null : types.Find(type);
        if (moduleType is null)
        {
            errors.Add("type", $"must be one of: {string.Join(", ", types.Names)}");
        }
        var hookKind = hook switch
        {
            "tc" or null => HookKind.Tc,
            "xdp" => HookKind.Xdp,
            _ => (HookKind?)null,
        };
        if (hookKind is null)
        {
            errors.Add("hook", "must be tc or xdp");
        }
        JsonObject? normalized = null;
        if (moduleType is not null)
        {
            try
            {
                normalized = moduleType.NormalizeConfig(config);
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
            }
        }
        errors.ThrowIfAny();

        return await ChangeAsync<ModuleState>(ct, (state, journal) =>
        {
            if (state.Modules.ContainsKey(name!))
            {
                throw new ConflictException("name", $"a module named '{name}' exists");
            }
            var used = state.Modules.Values.Select(m => m.Index).ToHashSet();
            var index = Enumerable.Range(1, IoModules.Abi.ChainAbi.MaxModules - 1).FirstOrDefault(i => !used.Contains(i));
            if (index == 0)
            {
                throw new ConflictException("name", "no free module slot");
            }
            var module = new ModuleState(name!, moduleType!.Name, hookKind!.Value, index, normalized!,
                ImmutableSortedDictionary.Create<string, PortState>(StringComparer.Ordinal),
                ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, JsonObject>>(StringComparer.Ordinal));
            LoadedModule? loaded = null;
            journal.Do("load module", () => loaded = LoadModule(module), () =>
            {
                loaded!.Dispose();
                loader.Unpin(module.Name);
            });
            loaded!.Datapath.ApplyConfig(module.Config);
            panel.ClearModuleSlot(index);
            journal.Do("enter patch panel", () => panel.SetModuleProgram(module.Hook, index, loaded.RxProgram),
                () => panel.ClearModuleProgram(module.Hook, index));
            return (state.WithModule(module), module, () => _loaded = _loaded.SetItem(module.Name, loaded));
        });
    }

    public Task<ModuleState> PatchModuleAsync(string name, JsonObject? config, CancellationToken ct) =>
        ChangeAsync<ModuleState>(ct, (state, journal) =>
        {
            var module = state.Modules.TryGetValue(name, out var m) ? m : throw new NotFoundException($"no module '{name}'");
            var merged = module.Config.DeepClone().AsObject();
            foreach (var (k, v) in config ?? [])
            {
                merged[k] = v?.DeepClone();
            }
            var loaded = Loaded(name);
            var normalized = loaded.Type.NormalizeConfig(merged);
            journal.Do("apply config", () => loaded.Datapath.ApplyConfig(normalized), () => loaded.Datapath.ApplyConfig(module.Config));
            var updated = module with { Config = normalized };
            return (state.WithModule(updated), updated, null);
        });

    public Task<ModuleState> DeleteModuleAsync(string name, CancellationToken ct) =>
        ChangeAsync<ModuleState>(ct, (state, journal) =>
        {
            var module = state.Modules.TryGetValue(name, out var m) ? m : throw new NotFoundException($"no module '{name}'");
            var loaded = Loaded(name);
            var next = state;
            foreach (var link in state.Links.Values.Where(l => l.From.Module == name || l.To.Module == name))
            {
                RemoveLink(next, link, journal);
                next = next with { Links = next.Links.Remove(link.Id) };
            }
            journal.Do("leave patch panel", () => panel.ClearModuleProgram(module.Hook, module.Index),
                () => panel.SetModuleProgram(module.Hook, module.Index, loaded.RxProgram));
            next = next with { Modules = next.Modules.Remove(name) };
            return (next, module, () =>
            {
                _loaded = _loaded.Remove(name);
                loaded.Dispose();
                loader.Unpin(name);
                panel.ClearModuleSlot(module.Index);
            });
        });

    public Task<PortState> AddPortAsync(string moduleName, string? portName, JsonObject? config, CancellationToken ct) =>
        ChangeAsync<PortState>(ct, (state, journal) =>
        {
            var module = state.Modules.TryGetValue(moduleName, out var m) ? m : throw new NotFoundException($"no module '{moduleName}'");
            var loaded = Loaded(moduleName);
            var errors = new ConfigErrors();
            if (!Names.IsValid(portName))
            {
                errors.Add("name", Names.Rule);
            }
            JsonObject? normalized = null;
            try
            {
                normalized = loaded.Type.NormalizePortConfig(config);
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
            }
            errors.ThrowIfAny();
            if (module.Ports.ContainsKey(portName!))
            {
                throw new ConflictException("name", $"module '{moduleName}' has a port named '{portName}'");
            }
            var used = module.Ports.Values.Select(p => p.Index).ToHashSet();
            var index = Enumerable.Range(0, loaded.Type.MaxPorts).Where(i => !used.Contains(i)).DefaultIfEmpty(-1).First();
            if (index < 0)
            {
                throw new ConflictException("name", $"a {module.Type} has at most {loaded.Type.MaxPorts} ports");
            }
            var port = new PortState(portName!, index, normalized!);
            journal.Do("apply port", () => loaded.Datapath.ApplyPort(index, port.Config), () => loaded.Datapath.RemovePort(index));
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
            journal.Do("apply port", () => loaded.Datapath.ApplyPort(port.Index, normalized),
                () => loaded.Datapath.ApplyPort(port.Index, port.Config));
            var updated = port with { Config = normalized };
            return (state.WithModule(module with { Ports = module.Ports.SetItem(portName, updated) }), updated, null);
        });

    public Task<PortState> DeletePortAsync(string moduleName, string portName, CancellationToken ct) =>
        ChangeAsync<PortState>(ct, (state, journal) =>
        {
            var module = state.Modules.TryGetValue(moduleName, out var m) ? m : throw new NotFoundException($"no module '{moduleName}'");
            var port = PortOf(module, portName);
            var loaded = Loaded(moduleName);
            var next = state;
            if (state.LinkOf(new LinkEnd(moduleName, portName)) is { } link)
            {
                RemoveLink(next, link, journal);
                next = next with { Links = next.Links.Remove(link.Id) };
            }
            journal.Do("remove port", () => loaded.Datapath.RemovePort(port.Index),
                () => loaded.Datapath.ApplyPort(port.Index, port.Config));
            return (next.WithModule(module with { Ports = module.Ports.Remove(portName) }), port, null);
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
            ValidateLink(state, link);
            ApplyLink(state, link, journal);
            return (state with { Links = state.Links.Add(link.Id, link), NextLinkId = state.NextLinkId + 1 }, link, null);
        });
    }

    public Task<LinkState> DeleteLinkAsync(string id, CancellationToken ct) =>
        ChangeAsync<LinkState>(ct, (state, journal) =>
        {
            var link = state.Links.TryGetValue(id, out var l) ? l : throw new NotFoundException($"no link '{id}'");
            RemoveLink(state, link, journal);
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
            var previous = key is null ? null : t.Get(key);
            JsonObject written = null!;
            journal.Do("write entry", () => written = t.Put(key, entry), () =>
            {
                if (previous is null)
                {
                    t.Delete(written["key"]!.GetValue<string>());
                }
                else
                {
                    t.Put(key, previous);
                }
            });
            if (!info.Persistent)
            {
                return (state, written, null);
            }
            var stored = written.DeepClone().AsObject();
            stored.Remove("ageSeconds");
            var entries = module.EntriesOf(table).SetItem(written["key"]!.GetValue<string>(), stored);
            return (state.WithModule(module with { Entries = module.Entries.SetItem(table, entries) }), written, null);
        });

    public Task<bool> DeleteEntryAsync(string moduleName, string table, string key, CancellationToken ct) =>
        ChangeAsync<bool>(ct, (state, journal) =>
        {
            var (module, info, t) = TableOf(state, moduleName, table);
            var previous = t.Get(key) ?? throw new NotFoundException($"table '{table}' has no entry '{key}'");
            var canonical = previous["key"]!.GetValue<string>();
            journal.Do("delete entry", () => t.Delete(key), () => t.Put(canonical, previous));
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
        var info = loaded.Type.Tables.FirstOrDefault(t => t.Name == table)
            ?? throw new NotFoundException($"module '{moduleName}' has no table '{table}'");
        return (module, info, loaded.Datapath.Table(table));
    }

    /// <summary>Housekeeping of every module (aging), serialized with changes.</summary>
    public async Task MaintainAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            foreach (var m in _loaded.Values)
            {
                m.Datapath.Maintain();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<T> ChangeAsync<T>(CancellationToken ct, Func<GraphState, UndoJournal, (GraphState Next, T Result, Action? Commit)> change)
    {
        await _gate.WaitAsync(ct);
        var journal = new UndoJournal(logger);
        try
        {
            var (next, result, commit) = change(_state, journal);
            store.Save(next);
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
            _gate.Release();
        }
    }

    private LoadedModule LoadModule(ModuleState m) =>
        loader.Load(m.Name, m.Index, m.Hook, types.Get(m.Type), new StatePortNames(this, m.Name));

    private void ValidateLink(GraphState state, LinkState link)
    {
        var (a, b) = (link.From, link.To);
        var ma = EndpointModule(state, a, "from");
        if (state.LinkOf(a) is { } existingA)
        {
            throw new ConflictException("from", $"{a} is already linked ({existingA.Id})");
        }
        if (b.IsNetdev)
        {
            if (Netdev.IndexOf(b.Netdev) == 0)
            {
                throw new ConfigException("to", $"no interface '{b.Netdev}'");
            }
            if (state.LinkOf(b) is { } existingB)
            {
                throw new ConflictException("to", $"{b} is already linked ({existingB.Id})");
            }
            types.Get(ma.Type).ValidatePeer(PortOf(ma, a.Port).Config, PeerKind.Netdev);
            return;
        }
        var mb = EndpointModule(state, b, "to");
        if (a == b)
        {
            throw new ConfigException("to", "a port cannot be linked to itself");
        }
        if (state.LinkOf(b) is { } existing)
        {
            throw new ConflictException("to", $"{b} is already linked ({existing.Id})");
        }
        if (ma.Hook != mb.Hook)
        {
            throw new ConfigException("to", $"'{ma.Name}' runs at {ma.Hook.ObjectSuffix()} and '{mb.Name}' at {mb.Hook.ObjectSuffix()}: linked modules must share a hook");
        }
        types.Get(ma.Type).ValidatePeer(PortOf(ma, a.Port).Config, PeerKind.Module);
        types.Get(mb.Type).ValidatePeer(PortOf(mb, b.Port).Config, PeerKind.Module);
    }

    private static ModuleState EndpointModule(GraphState state, LinkEnd e, string field)
    {
        if (!state.Modules.TryGetValue(e.Module, out var m))
        {
            throw new ConfigException(field, $"no module '{e.Module}'");
        }
        if (!m.Ports.ContainsKey(e.Port))
        {
            throw new ConfigException(field, $"module '{e.Module}' has no port '{e.Port}'");
        }
        return m;
    }

    private void ApplyLink(GraphState state, LinkState link, UndoJournal journal)
    {
        var ma = state.Modules[link.From.Module];
        var pa = ma.Ports[link.From.Port];
        var la = Loaded(ma.Name);
        if (link.To.IsNetdev)
        {
            var ifindex = Netdev.IndexOf(link.To.Netdev);
            if (ifindex == 0)
            {
                throw new ConfigException("to", $"no interface '{link.To.Netdev}'");
            }
            var peer = new PortPeer(PeerKind.Netdev, Ifindex: ifindex);
            Connect(ma, pa, la, peer, journal);
            journal.Do("attach netdev", () => panel.LinkNetdev(ifindex, ma.Index, pa.Index, ma.Hook),
                () => panel.UnlinkNetdev(ifindex, ma.Hook));
            return;
        }
        var mb = state.Modules[link.To.Module];
        var pb = mb.Ports[link.To.Port];
        Connect(ma, pa, la, new PortPeer(PeerKind.Module, Module: mb.Index, Port: pb.Index), journal);
        Connect(mb, pb, Loaded(mb.Name), new PortPeer(PeerKind.Module, Module: ma.Index, Port: pa.Index), journal);
    }

    private void Connect(ModuleState m, PortState p, LoadedModule loaded, PortPeer peer, UndoJournal journal)
    {
        var previous = panel.PeerOf(m.Index, p.Index);
        journal.Do("set peer", () => panel.SetPeer(m.Index, p.Index, peer), () => panel.SetPeer(m.Index, p.Index, previous));
        journal.Do("notify module", () => loaded.Datapath.PeerChanged(p.Index, previous, peer),
            () => loaded.Datapath.PeerChanged(p.Index, peer, previous));
    }

    private void RemoveLink(GraphState state, LinkState link, UndoJournal journal)
    {
        var ma = state.Modules[link.From.Module];
        var pa = ma.Ports[link.From.Port];
        Disconnect(ma, pa, Loaded(ma.Name), journal);
        if (link.To.IsNetdev)
        {
            var ifindex = Netdev.IndexOf(link.To.Netdev);
            journal.Do("detach netdev", () => panel.UnlinkNetdev(ifindex, ma.Hook),
                () => panel.LinkNetdev(ifindex, ma.Index, pa.Index, ma.Hook));
            return;
        }
        var mb = state.Modules[link.To.Module];
        Disconnect(mb, mb.Ports[link.To.Port], Loaded(mb.Name), journal);
    }

    private void Disconnect(ModuleState m, PortState p, LoadedModule loaded, UndoJournal journal) =>
        Connect(m, p, loaded, PortPeer.None, journal);

    public void Dispose()
    {
        foreach (var m in _loaded.Values)
        {
            m.Dispose();
        }
        _gate.Dispose();
    }

    /// <summary>Port names of a module as the committed state has them.</summary>
    private sealed class StatePortNames(GraphService graph, string module) : IModulePorts
    {
        public string? NameOf(int index) =>
            graph.State.Modules.TryGetValue(module, out var m) ? m.PortAt(index)?.Name : null;

        public int? IndexOf(string name) =>
            graph.State.Modules.TryGetValue(module, out var m) && m.Ports.TryGetValue(name, out var p) ? p.Index : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Link {Id} not restored: {Reason}")]
    private static partial void LogLinkNotRestored(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Adopted the datapath: {Modules} modules, {Links} links")]
    private static partial void LogAdopted(ILogger logger, int modules, int links);
}
