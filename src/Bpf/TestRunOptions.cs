namespace IoVisor.Bpf;

/// <summary>Input of one BPF_PROG_TEST_RUN.</summary>
public sealed class TestRunOptions
{
    /// <summary>BPF_F_TEST_RUN_ON_CPU: run on <see cref="Cpu"/> instead of the calling CPU.</summary>
    public const uint RunOnCpu = 1;

    /// <summary>BPF_F_TEST_XDP_LIVE_FRAMES: XDP frames really go out (redirects, XDP_TX); no data out.</summary>
    public const uint XdpLiveFrames = 2;

    /// <summary>The packet (for XDP and TC: a whole Ethernet frame).</summary>
    public byte[]? DataIn { get; set; }

    /// <summary>Room for the packet after the run; null means DataIn.Length + 256 (head/tail growth).</summary>
    public int? DataOutSize { get; set; }

    /// <summary>The context (struct xdp_md, struct __sk_buff), for programs that read it.</summary>
    public byte[]? ContextIn { get; set; }

    /// <summary>Room for the context after the run; null means ContextIn.Length.</summary>
    public int? ContextOutSize { get; set; }

    public uint Repeat { get; set; } = 1;

    /// <summary><see cref="RunOnCpu"/> and/or <see cref="XdpLiveFrames"/>.</summary>
    public uint Flags { get; set; }

    public uint Cpu { get; set; }

    /// <summary>Frames per batch with <see cref="XdpLiveFrames"/>; 0 is the kernel's default.</summary>
    public uint BatchSize { get; set; }
}
