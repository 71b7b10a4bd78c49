using IoVisor.IoModules;

namespace IoVisor.SlowPath;

/// <summary>A module as the slow path sees it: its hook, its handler (null for modules that punt nothing of
/// their own) and its counters.</summary>
public sealed record SlowPathTarget(HookKind Hook, IModuleSlowPath? Handler, SlowPathCounters Counters);

/// <summary>Finds the module at a patch-panel index; null when no module is there (any more).</summary>
public interface ISlowPathTargets
{
    SlowPathTarget? Find(int module);
}
