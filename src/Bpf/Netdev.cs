using System.Runtime.InteropServices;
using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>Interface names and indexes, in the calling thread's network namespace.</summary>
public static unsafe class Netdev
{
    /// <summary>The ifindex of <paramref name="name"/>; 0 when there is no such interface.</summary>
    public static int IndexOf(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return (int)Libc.if_nametoindex(name);
    }

    /// <summary>The name of interface <paramref name="ifindex"/>; null when there is none.</summary>
    public static string? NameOf(int ifindex)
    {
        byte* name = stackalloc byte[Libc.IF_NAMESIZE];
        return Libc.if_indextoname((uint)ifindex, name) is null ? null : Marshal.PtrToStringUTF8((nint)name);
    }
}
