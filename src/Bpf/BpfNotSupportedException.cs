namespace IoVisor.Bpf;

/// <summary>The running kernel lacks a BPF feature; names the feature and the kernel that brings it.</summary>
public sealed class BpfNotSupportedException : BpfException
{
    public BpfNotSupportedException(string operation, int errno, string feature, string? minimumKernel)
        : base(operation, errno, $"Not supported by this kernel: {feature}{(minimumKernel is null ? "" : $" (needs Linux {minimumKernel} or newer)")}.")
    {
        Feature = feature;
        MinimumKernel = minimumKernel;
    }

    public string Feature { get; }

    /// <summary>The first Linux version with the feature, when known.</summary>
    public string? MinimumKernel { get; }
}
