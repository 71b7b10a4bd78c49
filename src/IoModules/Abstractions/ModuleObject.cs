using IoVisor.Bpf;

namespace IoVisor.IoModules;

/// <summary>What the framework hands a module type when it binds a loaded instance.</summary>
/// <param name="newMaps">Whether the load made every map of the instance's own anew (none was pinned):
/// they hold only zeros, so there is no state in them to take over.</param>
public sealed class ModuleObject(string name, int index, HookKind hook, BpfObject obj, IModulePorts ports, bool newMaps = false)
{
    public string Name { get; } = name;

    /// <summary>Slot in the patch panel; also the first half of every global port id.</summary>
    public int Index { get; } = index;

    public HookKind Hook { get; } = hook;

    public BpfObject Object { get; } = obj;

    public IModulePorts Ports { get; } = ports;

    public bool NewMaps { get; } = newMaps;

    public BpfMap Map(string name) => Object.Map(name);
}

/// <summary>Names of a module's ports as users see them, for tables that show ports.</summary>
public interface IModulePorts
{
    string? NameOf(int index);

    int? IndexOf(string name);
}
