using IoVisor.Hover.Kernel;
using IoVisor.SlowPath;

namespace IoVisor.Hover.Graph;

/// <summary>The graph as the slow path sees it: modules by patch-panel index.</summary>
public sealed partial class GraphService : ISlowPathTargets
{
    public LoadedModule? LoadedAt(int index) => _loaded.Values.FirstOrDefault(m => m.Index == index);

    SlowPathTarget? ISlowPathTargets.Find(int module) =>
        LoadedAt(module) is { } m ? new SlowPathTarget(m.Hook, m.Datapath.SlowPath, m.SlowPathCounters) : null;
}
