using IoVisor.Bpf;

namespace IoVisor.Hover.Kernel;

/// <summary>Where each map of a datapath object is pinned: the shared ones (hover_*) at the bpffs
/// root under their own names, a module's own maps in its folder. libbpf reuses what is pinned.</summary>
internal static class DatapathPins
{
    private const string SharedPrefix = "hover_";

    public static void Assign(BpfObject obj, string root, string? moduleDir)
    {
        foreach (var map in obj.Maps)
        {
            if (map.Name.StartsWith(SharedPrefix, StringComparison.Ordinal))
            {
                map.SetPinPath(Path.Combine(root, map.Name));
            }
            // Global variables' maps (.rodata, .bss, .data; libbpf may prefix the object name) are made
            // afresh with each load, and bpffs refuses '.' in a name anyway.
            else if (moduleDir is not null && !map.Name.Contains('.'))
            {
                map.SetPinPath(Path.Combine(moduleDir, map.Name));
            }
        }
    }
}
