using System.Runtime.InteropServices;
using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>
/// A BPF program: a borrowed view of a program in a <see cref="BpfObject"/> (valid while the
/// object is open) or an owned program opened from a pin (disposing closes its fd).
/// </summary>
public sealed class BpfProgram : IDisposable
{
    private readonly BpfObject? _owner;
    private readonly SafeBpfFd? _fd;
    private nint _native;

    internal BpfProgram(BpfObject owner, nint native)
    {
        _owner = owner;
        _native = native;
        Name = Marshal.PtrToStringUTF8(LibBpf.bpf_program__name(native)) ?? "";
    }

    private BpfProgram(SafeBpfFd fd)
    {
        _fd = fd;
        Name = KernelObjects.ProgramInfo(fd.Fd).NameString;
    }

    /// <summary>The function name in the object; for a pinned program, the kernel's (at most 15 characters).</summary>
    public string Name { get; }

    public int Fd
    {
        get
        {
            if (_fd is not null)
            {
                return _fd.Fd;
            }

            int fd = LibBpf.bpf_program__fd(NativeHandle);
            return fd >= 0 ? fd : throw new InvalidOperationException($"Program '{Name}' has no fd until its object is loaded.");
        }
    }

    /// <summary>What the program is for (XDP, TC classifier, ...): from its ELF section before load, the kernel's after.</summary>
    public BpfProgramType Type => (BpfProgramType)(_owner is null ? KernelObjects.ProgramInfo(Fd).Type : LibBpf.bpf_program__type(NativeHandle));

    /// <summary>The kernel's program id, as XDP and TC queries report it.</summary>
    public uint Id => KernelObjects.ProgramInfo(Fd).Id;

    /// <summary>The verifier log of a rejected load; null for programs that loaded.</summary>
    public string? VerifierLog { get; internal set; }

    /// <summary>libbpf's struct bpf_program* of a borrowed program; throws once the object is disposed.</summary>
    internal nint NativeHandle
    {
        get
        {
            _owner!.ThrowIfDisposed();
            return _native;
        }
    }

    /// <summary>Opens a pinned program; the returned program owns its fd.</summary>
    public static BpfProgram OpenPinned(string path)
    {
        SafeBpfFd fd = BpfFs.Get(path);
        try
        {
            KernelObjects.RequireKind(fd, KernelObjects.ProgramKind, path);
            return new BpfProgram(fd);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Pins the program at <paramref name="path"/>, replacing whatever is pinned there.</summary>
    public void Pin(string path) => BpfFs.Pin(Fd, path);

    public void Dispose() => _fd?.Dispose();

    /// <summary>After the owning object reopened (verifier log retry): the same program in the new object.</summary>
    internal void Rebind(nint native) => _native = native;
}
