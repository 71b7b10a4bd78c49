using IoVisor.Bpf;
using IoVisor.IoModules;
using IoVisor.SlowPath;

namespace IoVisor.Hover.Kernel;

/// <summary>A module instance in the kernel: its loaded object (maps pinned under
/// modules/&lt;name&gt;/) and the control plane of its type bound to it.</summary>
public sealed class LoadedModule(string name, int index, HookKind hook, IModuleType type, BpfObject obj, IModuleDatapath datapath, string pinDir)
    : IDisposable
{
    public string Name { get; } = name;

    public int Index { get; } = index;

    public HookKind Hook { get; } = hook;

    public IModuleType Type { get; } = type;

    public BpfObject Object { get; } = obj;

    public IModuleDatapath Datapath { get; } = datapath;

    /// <summary>The instance's tables: its program's own (a custom module's maps), or its type's.</summary>
    public IReadOnlyList<TableInfo> Tables => Datapath.Tables ?? Type.Tables;

    public string PinDir { get; } = pinDir;

    /// <summary>What the slow path did for this instance; starts at zero with each load.</summary>
    public SlowPathCounters SlowPathCounters { get; } = new();

    public BpfProgram RxProgram => Object.Program("hover_rx");

    public void Dispose() => Object.Dispose();
}
