using IoVisor.IoModules.Abi;

namespace IoVisor.Hover.Graph;

/// <summary>Which patch-panel slot a new module gets, and which index a new port gets in its module.</summary>
public static class Slots
{
    /// <summary>The lowest free module slot; null when all are taken. Slot 0 is never given: a zeroed
    /// map entry means "no module".</summary>
    public static int? FreeModule(IEnumerable<int> used)
    {
        var taken = used.ToHashSet();
        var free = Enumerable.Range(1, ChainAbi.MaxModules - 1).FirstOrDefault(i => !taken.Contains(i));
        return free == 0 ? null : free;
    }

    /// <summary>The lowest free port index below <paramref name="maxPorts"/>; null when all are taken.</summary>
    public static int? FreePort(IEnumerable<int> used, int maxPorts)
    {
        var taken = used.ToHashSet();
        var free = Enumerable.Range(0, maxPorts).Where(i => !taken.Contains(i)).DefaultIfEmpty(-1).First();
        return free < 0 ? null : free;
    }
}
