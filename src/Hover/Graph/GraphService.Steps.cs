using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.Hover.Kernel;
using IoVisor.IoModules;

namespace IoVisor.Hover.Graph;

/// <summary>The kernel steps changes are made of, shared by single-resource changes and chains. Each
/// step records its undo in the change's journal; what cannot be undone (freeing a module) is handed
/// back to run once the change is saved.</summary>
public sealed partial class GraphService
{
    /// <summary>Loads a module, writes its config and puts it in its patch-panel slot.</summary>
    private LoadedModule LoadModule(ModuleState module, UndoJournal journal) =>
        EnterModule(module, LoadObjects([module], journal)[module.Name], journal);

    /// <summary>Loads the objects of <paramref name="modules"/> into the kernel, as many at once as there
    /// are cores: the verifier is most of a module's load, and each load is independent of the others.
    /// Every object loaded is in the journal (undo frees and unpins it), also when another one failed;
    /// then the failure of the first module that failed, in order, is thrown.</summary>
    private Dictionary<string, ModuleObjectLoad> LoadObjects(IReadOnlyList<ModuleState> modules, UndoJournal journal)
    {
        var results = new (ModuleObjectLoad? Load, ExceptionDispatchInfo? Error)[modules.Count];
        Parallel.For(0, modules.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var m = modules[i];
            try
            {
                results[i] = (loader.LoadObject(m.Name, m.Hook, types.Get(m.Type), m.Config), null);
            }
            catch (Exception e)
            {
                // libbpf pins maps before it loads programs: a refused program leaves them behind.
                loader.Unpin(m.Name);
                results[i] = (null, ExceptionDispatchInfo.Capture(e));
            }
        });
        var objects = new Dictionary<string, ModuleObjectLoad>(StringComparer.Ordinal);
        for (var i = 0; i < modules.Count; i++)
        {
            if (results[i].Load is { } load)
            {
                var name = modules[i].Name;
                journal.Do("load module", () => objects.Add(name, load), () =>
                {
                    load.Object.Dispose();
                    loader.Unpin(name);
                });
            }
        }
        results.Select(r => r.Error).FirstOrDefault(e => e is not null)?.Throw();
        return objects;
    }

    /// <summary>Binds the module's type to its loaded object, writes its config and puts it in its
    /// patch-panel slot. Undoing the load frees the object.</summary>
    private LoadedModule EnterModule(ModuleState module, ModuleObjectLoad load, UndoJournal journal)
    {
        var loaded = loader.Bind(load, module.Name, module.Index, module.Hook, types.Get(module.Type), new StatePortNames(this, module.Name));
        loaded.Datapath.ApplyConfig(module.Config);
        panel.ClearModuleSlot(module.Index);
        journal.Do("enter patch panel", () => panel.SetModuleProgram(module.Hook, module.Index, loaded.RxProgram),
            () => panel.ClearModuleProgram(module.Hook, module.Index));
        return loaded;
    }

    /// <summary>Takes a module out of its slot and sets its pins aside (so a module of the same name can
    /// be loaded in the same change); returns what frees it for good once the change is saved.</summary>
    private Action UnloadModule(ModuleState module, LoadedModule loaded, UndoJournal journal)
    {
        journal.Do("leave patch panel", () => panel.ClearModuleProgram(module.Hook, module.Index),
            () => panel.SetModuleProgram(module.Hook, module.Index, loaded.RxProgram));
        var aside = "";
        journal.Do("set pins aside", () => aside = loader.SetAside(module.Name), () => loader.Restore(module.Name, aside));
        return () =>
        {
            loaded.Dispose();
            loader.Unpin(aside);
            panel.ClearModuleSlot(module.Index);
        };
    }

    private static void ApplyModuleConfig(LoadedModule loaded, JsonObject config, JsonObject previous, UndoJournal journal) =>
        journal.Do("apply config", () => loaded.Datapath.ApplyConfig(config), () => loaded.Datapath.ApplyConfig(previous));

    /// <summary>Writes a port's config; <paramref name="previous"/> is null for a new port.</summary>
    private static void ApplyPort(LoadedModule loaded, PortState port, JsonObject? previous, UndoJournal journal) =>
        journal.Do("apply port", () => loaded.Datapath.ApplyPort(port.Index, port.Config), () =>
        {
            if (previous is null)
            {
                loaded.Datapath.RemovePort(port.Index);
            }
            else
            {
                loaded.Datapath.ApplyPort(port.Index, previous);
            }
        });

    /// <summary>Removes a port. The module forgets what its tables held for the port (a bridge, the FDB
    /// entries on it), so the returned module keeps only the persisted entries its tables still have:
    /// an entry naming a port that is gone would fail when the daemon restarts and writes it again.
    /// Undo brings back the port and those entries.</summary>
    private static ModuleState RemovePort(LoadedModule loaded, ModuleState module, PortState port, UndoJournal journal)
    {
        var forgotten = new List<(string Table, string Key, JsonObject Entry)>();
        journal.Do("remove port", () =>
        {
            loaded.Datapath.RemovePort(port.Index);
            forgotten.AddRange(module.Entries.SelectMany(t => t.Value
                .Where(e => loaded.Datapath.Table(t.Key).Get(e.Key) is null)
                .Select(e => (t.Key, e.Key, e.Value))));
        }, () =>
        {
            loaded.Datapath.ApplyPort(port.Index, port.Config);
            foreach (var (table, key, entry) in forgotten)
            {
                loaded.Datapath.Table(table).Put(key, entry);
            }
        });
        var entries = module.Entries.ToImmutableSortedDictionary(
            t => t.Key, t => t.Value.RemoveRange(forgotten.Where(f => f.Table == t.Key).Select(f => f.Key)), StringComparer.Ordinal);
        return module with { Ports = module.Ports.Remove(port.Name), Entries = entries };
    }

    /// <summary>Creates or replaces an entry; returns it as the table shows it, with its key.</summary>
    private static JsonObject WriteEntry(IModuleTable table, string? key, JsonObject entry, UndoJournal journal)
    {
        var previous = key is null ? null : table.Get(key);
        JsonObject written = null!;
        journal.Do("write entry", () => written = table.Put(key, entry), () =>
        {
            if (previous is null)
            {
                table.Delete(written["key"]!.GetValue<string>());
            }
            else
            {
                table.Put(key, previous);
            }
        });
        return written;
    }

    /// <summary>Deletes an entry if the table has it (a learned one may have aged out); returns the key
    /// the table had it under, or null.</summary>
    private static string? EraseEntry(IModuleTable table, string key, UndoJournal journal)
    {
        if (table.Get(key) is not { } previous)
        {
            return null;
        }
        var canonical = previous["key"]!.GetValue<string>();
        journal.Do("delete entry", () => table.Delete(key), () => table.Put(canonical, previous));
        return canonical;
    }

    /// <summary>An entry as the desired state keeps it: without what moves with time.</summary>
    private static JsonObject Stored(JsonObject written)
    {
        var stored = written.DeepClone().AsObject();
        stored.Remove("ageSeconds");
        return stored;
    }

    private void ApplyLink(GraphState state, IReadOnlyDictionary<string, LoadedModule> loaded, LinkState link, UndoJournal journal)
    {
        var ma = state.Modules[link.From.Module];
        var pa = ma.Ports[link.From.Port];
        var la = loaded[ma.Name];
        if (link.To.IsNetdev)
        {
            var ifindex = Netdev.IndexOf(link.To.Netdev);
            if (ifindex == 0)
            {
                throw new ConfigException("to", $"no interface '{link.To.Netdev}'");
            }
            var peer = new PortPeer(PeerKind.Netdev, Ifindex: ifindex);
            Connect(ma, pa, la, peer, journal);
            journal.Do("map netdev", () => panel.MapNetdev(ifindex, ma.Index, pa.Index), () => panel.UnmapNetdev(ifindex));
            journal.Do("attach netdev", () => panel.AttachEntry(ifindex, ma.Hook), () => panel.DetachEntry(ifindex, ma.Hook));
            return;
        }
        var mb = state.Modules[link.To.Module];
        var pb = mb.Ports[link.To.Port];
        Connect(ma, pa, la, new PortPeer(PeerKind.Module, Module: mb.Index, Port: pb.Index), journal);
        Connect(mb, pb, loaded[mb.Name], new PortPeer(PeerKind.Module, Module: ma.Index, Port: pa.Index), journal);
    }

    private void Connect(ModuleState m, PortState p, LoadedModule loaded, PortPeer peer, UndoJournal journal)
    {
        var previous = panel.PeerOf(m.Index, p.Index);
        journal.Do("set peer", () => panel.SetPeer(m.Index, p.Index, peer), () => panel.SetPeer(m.Index, p.Index, previous));
        journal.Do("notify module", () => loaded.Datapath.PeerChanged(p.Index, previous, peer),
            () => loaded.Datapath.PeerChanged(p.Index, peer, previous));
    }

    private void RemoveLink(GraphState state, IReadOnlyDictionary<string, LoadedModule> loaded, LinkState link, UndoJournal journal)
    {
        var ma = state.Modules[link.From.Module];
        var pa = ma.Ports[link.From.Port];
        Disconnect(ma, pa, loaded[ma.Name], journal);
        if (link.To.IsNetdev)
        {
            var ifindex = Netdev.IndexOf(link.To.Netdev);
            journal.Do("detach netdev", () => panel.DetachEntry(ifindex, ma.Hook), () => panel.AttachEntry(ifindex, ma.Hook));
            journal.Do("unmap netdev", () => panel.UnmapNetdev(ifindex), () => panel.MapNetdev(ifindex, ma.Index, pa.Index));
            return;
        }
        var mb = state.Modules[link.To.Module];
        Disconnect(mb, mb.Ports[link.To.Port], loaded[mb.Name], journal);
    }

    private void Disconnect(ModuleState m, PortState p, LoadedModule loaded, UndoJournal journal) =>
        Connect(m, p, loaded, PortPeer.None, journal);

    /// <summary>Removes the links that <paramref name="which"/> picks; returns the state without them.</summary>
    private GraphState RemoveLinks(GraphState state, Func<LinkState, bool> which, UndoJournal journal)
    {
        var next = state;
        foreach (var link in state.Links.Values.Where(which))
        {
            RemoveLink(state, _loaded, link, journal);
            next = next with { Links = next.Links.Remove(link.Id) };
        }
        return next;
    }
}
