using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

public enum XdpMode
{
    /// <summary>In the driver (XDP_FLAGS_DRV_MODE): fastest; the driver must support XDP.</summary>
    Native,

    /// <summary>On the skb (XDP_FLAGS_SKB_MODE): works on any device, after the skb is built.</summary>
    Generic,
}

/// <summary>
/// XDP attachment by netlink: it belongs to the interface, not to this process, so it
/// outlives the daemon (intended: the datapath keeps running). Acts in the calling thread's
/// network namespace (see <see cref="NetNs"/>).
/// </summary>
public static unsafe class XdpAttachment
{
    private const uint UpdateIfNoExist = 1 << 0;
    private const uint SkbMode = 1 << 1;
    private const uint DrvMode = 1 << 2;

    /// <summary>Attaches the program; with <paramref name="replace"/> false, fails (EBUSY) if one is already attached.</summary>
    public static void Attach(int ifindex, int progFd, XdpMode mode, bool replace = true)
    {
        uint flags = ModeFlag(mode) | (replace ? 0 : UpdateIfNoExist);
        Native.Check(LibBpf.bpf_xdp_attach(ifindex, progFd, flags, null), $"bpf_xdp_attach(ifindex {ifindex}, {mode})");
    }

    /// <summary>Detaches whatever program is attached in that mode; nothing to do when none is.</summary>
    public static void Detach(int ifindex, XdpMode mode) =>
        Native.Check(LibBpf.bpf_xdp_detach(ifindex, ModeFlag(mode), null), $"bpf_xdp_detach(ifindex {ifindex}, {mode})");

    /// <summary>The id of the program attached in that mode; 0 when none.</summary>
    public static uint QueryProgramId(int ifindex, XdpMode mode)
    {
        uint id = 0;
        Native.Check(LibBpf.bpf_xdp_query_id(ifindex, (int)ModeFlag(mode), &id), $"bpf_xdp_query_id(ifindex {ifindex}, {mode})");
        return id;
    }

    private static uint ModeFlag(XdpMode mode) => mode switch
    {
        XdpMode.Native => DrvMode,
        XdpMode.Generic => SkbMode,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
