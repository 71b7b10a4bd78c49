using System.Runtime.InteropServices;
using System.Text;

namespace IoVisor.Bpf.Interop;

// Leading fields of struct bpf_map_info / bpf_prog_info (/usr/include/linux/bpf.h).
// BPF_OBJ_GET_INFO_BY_FD copies min(info_len, kernel size) bytes, so passing our shorter
// struct with info_len = sizeof(ours) is valid and stays valid as the kernel struct grows.

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct BpfMapInfo
{
    public uint Type;
    public uint Id;
    public uint KeySize;
    public uint ValueSize;
    public uint MaxEntries;
    public uint MapFlags;
    public fixed byte Name[KernelObjectName.Length];

    public readonly string NameString
    {
        get
        {
            fixed (byte* name = Name)
            {
                return KernelObjectName.Decode(name);
            }
        }
    }
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct BpfProgInfo
{
    public uint Type;
    public uint Id;
    public fixed byte Tag[8];
    public uint JitedProgLen;
    public uint XlatedProgLen;
    public ulong JitedProgInsns;
    public ulong XlatedProgInsns;
    public ulong LoadTime;
    public uint CreatedByUid;
    public uint NrMapIds;
    public ulong MapIds;
    public fixed byte Name[KernelObjectName.Length];

    public readonly string NameString
    {
        get
        {
            fixed (byte* name = Name)
            {
                return KernelObjectName.Decode(name);
            }
        }
    }
}

internal static unsafe class KernelObjectName
{
    // BPF_OBJ_NAME_LEN: NUL-terminated, truncated to 15 characters by the kernel.
    public const int Length = 16;

    public static string Decode(byte* name)
    {
        var bytes = new ReadOnlySpan<byte>(name, Length);
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
