using System.Runtime.InteropServices;

namespace IoVisor.Bpf.Interop;

// The libc calls the binding needs besides libbpf. Failures return -1 and set errno
// (read with Marshal.GetLastPInvokeError).
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;
    public const int F_DUPFD_CLOEXEC = 1030;
    public const int CLONE_NEWNET = 0x40000000;
    public const int IF_NAMESIZE = 16;

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int close(int fd);

    // fcntl is variadic; on x86_64 an int third argument is passed exactly like a fixed one.
    [LibraryImport(Library, SetLastError = true)]
    internal static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int unlink(string path);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statfs(string path, StatFs* buffer);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mount(string source, string target, string fileSystemType, nuint flags, nint data);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int setns(int fd, int namespaceType);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial uint if_nametoindex(string name);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial byte* if_indextoname(uint ifindex, byte* name);

    // va_list on x86_64 is a pointer to __va_list_tag, so libbpf's va_list arrives as a nint.
    [LibraryImport(Library)]
    internal static partial int vsnprintf(byte* buffer, nuint size, nint format, nint arguments);
}

// struct statfs on x86_64: 120 bytes, f_type (a long) first; the rest is not needed.
[StructLayout(LayoutKind.Sequential, Size = 120)]
internal struct StatFs
{
    public long Type;
}
