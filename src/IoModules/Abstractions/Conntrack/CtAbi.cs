using System.Runtime.InteropServices;

namespace IoVisor.IoModules.Conntrack;

/// <summary>Mirrors of modules/bpf/include/ct_types.h.</summary>
public static class CtAbi
{
    public const int Size = 262144;
    public const uint FlagSeenReply = 1;
    public const byte ProtoIcmp = 1;
    public const byte ProtoTcp = 6;
    public const byte ProtoUdp = 17;
}

/// <summary>struct ct_key: addresses and ports as the kernel stores them (network order in memory).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct CtKey
{
    public uint Saddr;
    public uint Daddr;
    public ushort Sport;
    public ushort Dport;
    public byte Proto;
    public fixed byte Pad[3];
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct CtEntry
{
    public CtKey Reply;
    public ulong CreatedNs;
    public ulong LastSeenNs;
    public ulong PacketsOrig;
    public ulong PacketsReply;
    public ulong BytesOrig;
    public ulong BytesReply;
    public uint TcpState;
    public uint Flags;
    public fixed uint Data[4];
}

[StructLayout(LayoutKind.Sequential)]
public struct CtTimeouts
{
    public ulong TcpSynNs;
    public ulong TcpEstablishedNs;
    public ulong TcpFinNs;
    public ulong TcpCloseNs;
    public ulong UdpNs;
    public ulong UdpStreamNs;
    public ulong IcmpNs;
}
