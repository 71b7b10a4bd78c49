using System.Runtime.InteropServices;

namespace IoVisor.Bpf;

/// <summary>A kernel or libbpf call failed. <see cref="Errno"/> is the positive errno value.</summary>
public class BpfException : Exception
{
    // The kernel's internal "not supported" code (524), which leaks to user space from
    // some bpf() commands; strerror does not know it.
    internal const int ENOTSUPP = 524;

    public BpfException(string operation, int errno)
        : this(operation, errno, detail: null, verifierLog: null)
    {
    }

    public BpfException(string operation, int errno, string? detail, string? verifierLog = null)
        : base(FormatMessage(operation, errno, detail))
    {
        Operation = operation;
        Errno = errno;
        VerifierLog = verifierLog;
    }

    /// <summary>What was attempted, e.g. <c>bpf_object__load(xdp_count.o)</c>.</summary>
    public string Operation { get; }

    public int Errno { get; }

    /// <summary>The whole verifier log when a program load was rejected; null otherwise.</summary>
    public string? VerifierLog { get; }

    // libbpf's own codes (LIBBPF_ERRNO__*: bad ELF format, relocation failed, ...) start here.
    private const int LibBpfErrnoStart = 4000;

    internal static string Describe(int errno) => errno switch
    {
        ENOTSUPP => "Operation not supported by this kernel (ENOTSUPP)",
        >= LibBpfErrnoStart => LibBpfMessage(errno),
        _ => Marshal.GetPInvokeErrorMessage(errno),
    };

    private static unsafe string LibBpfMessage(int errno)
    {
        const int size = 256;
        byte* buffer = stackalloc byte[size];
        return Interop.LibBpf.libbpf_strerror(errno, buffer, size) == 0
            ? Marshal.PtrToStringUTF8((nint)buffer) ?? $"libbpf error {errno}"
            : $"libbpf error {errno}";
    }

    private static string FormatMessage(string operation, int errno, string? detail)
    {
        string message = $"{operation} failed: {Describe(errno)} (errno {errno}).";
        if (detail is not null)
        {
            message += " " + detail;
        }

        return errno == Native.EPERM
            ? message + " BPF needs root or CAP_BPF (plus CAP_NET_ADMIN for networking programs and attach, CAP_SYS_ADMIN for bpffs mounts); on kernels before 5.11 also raise RLIMIT_MEMLOCK."
            : message;
    }
}
