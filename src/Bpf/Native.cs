using System.Runtime.InteropServices;

namespace IoVisor.Bpf;

/// <summary>The one place that turns a failed native call into an exception, and the errno values the binding acts on.</summary>
internal static class Native
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EOPNOTSUPP = 95;

    /// <summary>libbpf and bpf(2) wrappers return -errno; returns the value when it is not negative.</summary>
    public static int Check(int result, string operation) =>
        result >= 0 ? result : throw new BpfException(operation, -result);

    /// <summary>libc style: -1 and errno.</summary>
    public static int CheckLibc(int result, string operation) =>
        result >= 0 ? result : throw new BpfException(operation, Marshal.GetLastPInvokeError());

    /// <summary>libbpf pointer results: NULL and errno.</summary>
    public static nint CheckPointer(nint result, string operation) =>
        result != 0 ? result : throw new BpfException(operation, Marshal.GetLastPInvokeError());

    public static bool IsNotSupported(int errno) => errno is EOPNOTSUPP or BpfException.ENOTSUPP;
}
