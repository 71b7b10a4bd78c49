using System.Runtime.InteropServices;
using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>Owns one kernel file descriptor (map, program, link, namespace); closes it on release.</summary>
public sealed class SafeBpfFd : SafeHandle
{
    public SafeBpfFd(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle < 0;

    /// <summary>The descriptor number; throws once the handle is closed so a reused number is never used.</summary>
    public int Fd
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return (int)handle;
        }
    }

    /// <summary>
    /// An owned duplicate of a descriptor someone else owns (e.g. a libbpf object's map fd),
    /// so it stays valid after that owner closes. Close-on-exec, like every bpf() fd.
    /// </summary>
    public static SafeBpfFd Duplicate(int fd) =>
        new(Native.CheckLibc(Libc.fcntl(fd, Libc.F_DUPFD_CLOEXEC, 0), $"dup(fd {fd})"));

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
