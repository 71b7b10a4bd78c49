using System.ComponentModel.DataAnnotations;

namespace IoVisor.Hover;

/// <summary>hoverd's options, from the command line (--listen, --state-dir, --bpffs-dir) or config.</summary>
public sealed class HoverOptions
{
    /// <summary>URL the REST API listens on.</summary>
    [Required]
    public string Listen { get; set; } = "http://127.0.0.1:5000";

    /// <summary>Where the desired state is persisted.</summary>
    [Required]
    public string StateDir { get; set; } = Path.Combine(AppContext.BaseDirectory, "state");

    /// <summary>Pin root under a bpffs mount: programs, program arrays and maps live here.</summary>
    [Required]
    public string BpffsDir { get; set; } = "/sys/fs/bpf/iovisor";

    /// <summary>Folder with the compiled BPF objects (bridge.tc.o, ...).</summary>
    [Required]
    public string ObjectsDir { get; set; } = Path.Combine(AppContext.BaseDirectory, "bpf");

    /// <summary>XDP attach mode for netdevs: native (driver) or generic (skb).</summary>
    [RegularExpression("^(native|generic)$")]
    public string XdpMode { get; set; } = "native";

    /// <summary>Seconds between housekeeping rounds (FDB aging).</summary>
    [Range(1, 3600)]
    public int MaintenanceSeconds { get; set; } = 5;

    /// <summary>Packets the slow path holds for unresolved next hops, over all modules.</summary>
    [Range(1, 1_000_000)]
    public int MaxHeldPackets { get; set; } = 16384;

    /// <summary>Next hops the slow path resolves at once, over all modules.</summary>
    [Range(1, 1_000_000)]
    public int MaxHeldNextHops { get; set; } = 4096;
}
