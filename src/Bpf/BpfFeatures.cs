using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>Probes of the running kernel, for failing early and clearly when a feature is missing.</summary>
public static class BpfFeatures
{
    /// <summary>Throws <see cref="BpfNotSupportedException"/> when the kernel cannot create maps of <paramref name="type"/>.</summary>
    public static unsafe void RequireMapType(BpfMapType type)
    {
        int result = LibBpf.libbpf_probe_bpf_map_type((uint)type, null);
        if (result == 0 || (result < 0 && (Native.IsNotSupported(-result) || -result == Native.EINVAL)))
        {
            throw new BpfNotSupportedException($"libbpf_probe_bpf_map_type({type})", result == 0 ? Native.EINVAL : -result, $"{type} maps", MinimumKernel(type));
        }

        Native.Check(result, $"libbpf_probe_bpf_map_type({type})");
    }

    private static string? MinimumKernel(BpfMapType type) => type switch
    {
        BpfMapType.Hash or BpfMapType.Array => "3.19",
        BpfMapType.ProgArray => "4.2",
        BpfMapType.PerCpuHash or BpfMapType.PerCpuArray => "4.6",
        BpfMapType.LruHash or BpfMapType.LruPerCpuHash => "4.10",
        BpfMapType.LpmTrie => "4.11",
        BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps => "4.12",
        BpfMapType.DevMap => "4.14",
        BpfMapType.DevMapHash => "5.4",
        BpfMapType.RingBuf => "5.8",
        _ => null,
    };
}
