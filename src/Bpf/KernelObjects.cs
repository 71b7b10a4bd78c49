using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>What the kernel says about a BPF fd: its kind and BPF_OBJ_GET_INFO_BY_FD.</summary>
internal static unsafe class KernelObjects
{
    public const string MapKind = "bpf-map";
    public const string ProgramKind = "bpf-prog";

    /// <summary>
    /// A pin or fd can hold any BPF object and the info call answers for whatever it is,
    /// so check the kind first: the fd's anon inode is named "bpf-map", "bpf-prog", "bpf_link".
    /// </summary>
    public static void RequireKind(SafeBpfFd fd, string kind, string source)
    {
        string? target = new FileInfo($"/proc/self/fd/{fd.Fd}").LinkTarget;
        if (target != $"anon_inode:{kind}")
        {
            throw new BpfException($"open {kind} {source}", Native.EINVAL, $"It is not a {kind} but '{target}'.");
        }
    }

    public static BpfMapInfo MapInfo(int fd)
    {
        BpfMapInfo info = default;
        uint length = (uint)sizeof(BpfMapInfo);
        Native.Check(LibBpf.bpf_obj_get_info_by_fd(fd, &info, &length), $"bpf_obj_get_info_by_fd(map fd {fd})");
        return info;
    }

    public static BpfProgInfo ProgramInfo(int fd)
    {
        BpfProgInfo info = default;
        uint length = (uint)sizeof(BpfProgInfo);
        Native.Check(LibBpf.bpf_obj_get_info_by_fd(fd, &info, &length), $"bpf_obj_get_info_by_fd(program fd {fd})");
        return info;
    }
}
