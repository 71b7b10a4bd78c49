using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>
/// Tail-call slots. A program array is emptied when its last fd or pin goes away, so pin
/// the array (not just the programs) or tail calls silently stop.
/// </summary>
public static unsafe class ProgArray
{
    /// <summary>Points slot <paramref name="index"/> at the program; takes effect for the next packet.</summary>
    public static void Set(BpfMap progArray, uint index, int progFd)
    {
        RequireProgArray(progArray);
        progArray.Succeeded(LibBpf.bpf_map_update_elem(progArray.Fd, &index, &progFd, (ulong)BpfUpdateFlags.Any), $"bpf_map_update_elem[{index}]");
    }

    /// <summary>Empties slot <paramref name="index"/>; tail calls to it then fall through. Nothing to do when empty.</summary>
    public static void Clear(BpfMap progArray, uint index)
    {
        RequireProgArray(progArray);
        int result = LibBpf.bpf_map_delete_elem(progArray.Fd, &index);
        if (result != -Native.ENOENT)
        {
            progArray.Succeeded(result, $"bpf_map_delete_elem[{index}]");
        }
    }

    private static void RequireProgArray(BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Type != BpfMapType.ProgArray)
        {
            throw new ArgumentException($"Map '{map.Name}' is a {map.Type}, not a ProgArray.", nameof(map));
        }
    }
}
