using IoVisor.Bpf;

namespace IoVisor.Hover.Kernel;

/// <summary>A module's object loaded into the kernel (<see cref="ModuleLoader.LoadObject"/>), and whether
/// its own maps were all made by that load.</summary>
public sealed record ModuleObjectLoad(BpfObject Object, bool NewMaps);
