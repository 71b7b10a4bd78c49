using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>enum bpf_tc_attach_point.</summary>
public enum TcDirection
{
    Ingress = 1,
    Egress = 2,
}

/// <summary>
/// Direct-action cls_bpf filters on the clsact qdisc, by netlink: like XDP, they outlive this
/// process. A filter is identified by (handle, priority) per direction. Acts in the calling
/// thread's network namespace (see <see cref="NetNs"/>).
/// </summary>
public static unsafe class TcAttachment
{
    private const uint ReplaceFlag = 1 << 0;

    /// <summary>Creates the clsact qdisc if needed and attaches (or replaces) the filter.</summary>
    public static void Attach(int ifindex, TcDirection direction, int progFd, uint handle = 1, uint priority = 1)
    {
        BpfTcHook hook = Hook(ifindex, direction);
        int created = LibBpf.bpf_tc_hook_create(&hook);
        if (created != -Native.EEXIST)
        {
            Native.Check(created, $"bpf_tc_hook_create(ifindex {ifindex}, {direction})");
        }

        BpfTcOpts opts = BpfTcOpts.Create();
        opts.ProgFd = progFd;
        opts.Flags = ReplaceFlag;
        opts.Handle = handle;
        opts.Priority = priority;
        Native.Check(LibBpf.bpf_tc_attach(&hook, &opts), $"bpf_tc_attach(ifindex {ifindex}, {direction}, handle {handle}, priority {priority})");
    }

    /// <summary>Removes the filter; nothing to do when there is none. The clsact qdisc stays for other filters.</summary>
    public static void Detach(int ifindex, TcDirection direction, uint handle = 1, uint priority = 1)
    {
        BpfTcHook hook = Hook(ifindex, direction);
        BpfTcOpts opts = Filter(handle, priority);
        int result = LibBpf.bpf_tc_detach(&hook, &opts);
        if (!IsAbsent(result))
        {
            Native.Check(result, $"bpf_tc_detach(ifindex {ifindex}, {direction}, handle {handle}, priority {priority})");
        }
    }

    /// <summary>The id of the program in that filter; 0 when there is none.</summary>
    public static uint QueryProgramId(int ifindex, TcDirection direction, uint handle = 1, uint priority = 1)
    {
        BpfTcHook hook = Hook(ifindex, direction);
        BpfTcOpts opts = Filter(handle, priority);
        int result = LibBpf.bpf_tc_query(&hook, &opts);
        if (IsAbsent(result))
        {
            return 0;
        }

        Native.Check(result, $"bpf_tc_query(ifindex {ifindex}, {direction}, handle {handle}, priority {priority})");
        return opts.ProgId;
    }

    private static BpfTcHook Hook(int ifindex, TcDirection direction)
    {
        BpfTcHook hook = BpfTcHook.Create();
        hook.Ifindex = ifindex;
        hook.AttachPoint = (uint)direction;
        return hook;
    }

    private static BpfTcOpts Filter(uint handle, uint priority)
    {
        BpfTcOpts opts = BpfTcOpts.Create();
        opts.Handle = handle;
        opts.Priority = priority;
        return opts;
    }

    // No such filter (ENOENT); no filter at all on the hook, or no clsact qdisc (EINVAL: the
    // kernel finds no filter chain to look in).
    private static bool IsAbsent(int result) => result == -Native.ENOENT || result == -Native.EINVAL;
}
