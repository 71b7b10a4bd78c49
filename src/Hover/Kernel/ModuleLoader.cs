using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.IoModules;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.Kernel;

/// <summary>Loads a module's prebuilt object for its hook. Shared maps (hover_*) come from the
/// bpffs root, the module's own maps from modules/&lt;name&gt;/: libbpf reuses a pinned map when one
/// is there, so loading again after a restart keeps every table (FDB, ...) as it was.</summary>
public sealed class ModuleLoader(IOptions<HoverOptions> options)
{
    public string PinDirOf(string module) => Path.Combine(options.Value.BpffsDir, "modules", module);

    /// <summary>Loads the object the type names for this config (a custom module's own), or else the
    /// type's prebuilt one, and binds its type's control plane to it.</summary>
    public LoadedModule Load(string name, int index, HookKind hook, IModuleType type, JsonObject config, IModulePorts ports) =>
        Bind(LoadObject(name, hook, type, config), name, index, hook, type, ports);

    /// <summary>The kernel part of <see cref="Load"/>: the object loaded (its program verified), its maps
    /// and program pinned in the module's folder. Touches nothing but that folder and the pinned shared
    /// maps (which it only reuses), so several modules can be loaded at once.</summary>
    public ModuleObjectLoad LoadObject(string name, HookKind hook, IModuleType type, JsonObject config)
    {
        var path = type.ObjectPathFor(config, hook)
            ?? Path.Combine(options.Value.ObjectsDir, $"{type.ObjectName}.{hook.ObjectSuffix()}.o");
        var dir = PinDirOf(name);
        Directory.CreateDirectory(dir);
        // libbpf reuses the maps pinned in the folder and creates (and pins) the others.
        var newMaps = !Directory.EnumerateFileSystemEntries(dir).Any();
        var obj = BpfObject.Open(path, new BpfObjectOpenOptions { PinRoot = options.Value.BpffsDir });
        try
        {
            DatapathPins.Assign(obj, options.Value.BpffsDir, dir);
            foreach (var (map, size) in type.MapSizesFor(config))
            {
                obj.Map(map).SetMaxEntries(PinnedSize(dir, map) ?? size);
            }
            obj.Load();
            obj.Program("hover_rx").Pin(Path.Combine(dir, "hover_rx"));
            return new ModuleObjectLoad(obj, newMaps);
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    /// <summary>The size of the module's map when it is pinned already: libbpf reuses a pinned map only
    /// of the object's size, and the datapath in the kernel is adopted as it is, also when this version
    /// sizes the map otherwise for the same config. A new size takes effect with a reload, which makes
    /// every map afresh.</summary>
    private static uint? PinnedSize(string dir, string map)
    {
        var path = Path.Combine(dir, map);
        if (!File.Exists(path))
        {
            return null;
        }
        using var pinned = BpfMap.OpenPinned(path);
        return (uint)pinned.MaxEntries;
    }

    /// <summary>Binds the type's control plane to an object <see cref="LoadObject"/> loaded; the object is
    /// disposed when binding fails.</summary>
    public LoadedModule Bind(ModuleObjectLoad load, string name, int index, HookKind hook, IModuleType type, IModulePorts ports)
    {
        var obj = load.Object;
        try
        {
            var datapath = type.Bind(new ModuleObject(name, index, hook, obj, ports, load.NewMaps));
            return new LoadedModule(name, index, hook, type, obj, datapath, PinDirOf(name));
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    /// <summary>Unpins everything of a module; the kernel frees it once nothing refers to it.</summary>
    public void Unpin(string name)
    {
        var dir = PinDirOf(name);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Moves a module's pins out of the way, so that a module of the same name can be loaded
    /// while the old one may still come back; returns the folder name they went to. It is a name no
    /// module can have (modules start with a letter or digit; bpffs refuses '.'), so a daemon that
    /// dies before the change ends finds it stale and removes it.</summary>
    public string SetAside(string module)
    {
        var aside = $"_{module}-{Guid.NewGuid():N}";
        if (Directory.Exists(PinDirOf(module)))
        {
            Directory.Move(PinDirOf(module), PinDirOf(aside));
        }
        return aside;
    }

    public void Restore(string module, string aside)
    {
        if (Directory.Exists(PinDirOf(aside)))
        {
            Directory.Move(PinDirOf(aside), PinDirOf(module));
        }
    }

    public IEnumerable<string> PinnedModules()
    {
        var dir = Path.Combine(options.Value.BpffsDir, "modules");
        return Directory.Exists(dir) ? Directory.GetDirectories(dir).Select(Path.GetFileName)!.OfType<string>() : [];
    }
}
