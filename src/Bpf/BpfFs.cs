using System.Runtime.InteropServices;
using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>The BPF file system: where maps and programs are pinned to outlive the process.</summary>
public static unsafe class BpfFs
{
    public const string DefaultMountPoint = "/sys/fs/bpf";

    private const long BpfFsMagic = 0xCAFE4A11;

    /// <summary>Mounts bpffs at /sys/fs/bpf unless it already is, then creates <paramref name="dir"/>, which must lie on bpffs.</summary>
    public static void EnsureMounted(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        if (!IsBpfFs(DefaultMountPoint))
        {
            Native.CheckLibc(Libc.mount("bpf", DefaultMountPoint, "bpf", 0, 0), $"mount(bpf, {DefaultMountPoint})");
        }

        Directory.CreateDirectory(dir);
        if (!IsBpfFs(dir))
        {
            throw new BpfException($"pin directory {dir}", Native.EINVAL, "It is not on a bpf file system; pins can only live on bpffs.");
        }
    }

    /// <summary>True when <paramref name="path"/> exists and lies on a bpf file system.</summary>
    public static bool IsBpfFs(string path)
    {
        StatFs stat;
        return Libc.statfs(path, &stat) == 0 && stat.Type == BpfFsMagic;
    }

    /// <summary>Opens the object pinned at <paramref name="path"/> (map, program or link).</summary>
    public static SafeBpfFd Get(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new SafeBpfFd(Native.Check(LibBpf.bpf_obj_get(path), $"bpf_obj_get({path})"));
    }

    /// <summary>
    /// Pins <paramref name="fd"/> at <paramref name="path"/>, replacing an existing pin. bpffs has
    /// no rename-over, so this is unlink then pin: readers may briefly find nothing there.
    /// </summary>
    public static void Pin(int fd, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Unpin(path);
        Native.Check(LibBpf.bpf_obj_pin(fd, path), $"bpf_obj_pin({path})");
    }

    /// <summary>Removes a pin; nothing to do when there is none.</summary>
    public static void Unpin(string path)
    {
        if (Libc.unlink(path) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Native.ENOENT)
            {
                throw new BpfException($"unlink({path})", errno);
            }
        }
    }
}
