using System.Runtime.InteropServices;

namespace IoVisor.IoModules.Abi;

/// <summary>Constants of modules/bpf/include/hover_types.h.</summary>
public static class ChainAbi
{
    public const int MaxModules = 256;
    public const int MaxPorts = 64;
    public const int MaxNetdevs = 4096;
    public const int NetdevIxSize = 65536;
    public const int PuntSnap = 2048;
    public const uint InjectMagic = 0x48565231;
    public const uint PuntFloodCopy = 1;

    public static uint GlobalPort(int module, int port) => (uint)(module * MaxPorts + port);
}

/// <summary>struct hover_port.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct HoverPort
{
    public uint PeerKind;
    public uint Ifindex;
    public uint PeerModule;
    public uint PeerPort;
}

/// <summary>struct hover_netdev.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct HoverNetdev
{
    public uint Module;
    public uint Port;
}

/// <summary>struct hover_port_stats (per CPU).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct HoverPortStats
{
    public ulong RxPackets;
    public ulong RxBytes;
    public ulong TxPackets;
    public ulong TxBytes;
    public ulong Drops;
}

/// <summary>struct hover_md.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct HoverMd
{
    public uint Module;
    public uint InPort;
    public uint OutPort;
    public uint Flags;
    public uint Ifindex;
    public uint Hops;
    public uint Reason;
    public uint TraceId;
    public fixed ulong Words[4];
}

/// <summary>struct hover_punt, the head of a ring-buffer record.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct HoverPunt
{
    public uint Module;
    public uint Port;
    public uint Reason;
    public uint Len;
    public uint CapLen;
    public uint Ifindex;
    public uint Hook;
    public uint Pad;
    public fixed ulong Words[4];
}

/// <summary>struct hover_inject, the trailer of an injected frame.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct HoverInject
{
    public uint Magic;
    public ushort Module;
    public ushort Port;
    public byte Hook;
    public byte Direction;
    public ushort Pad;
}

/// <summary>struct bpf_devmap_val (the kernel's, for devmaps with egress programs).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct DevmapValue
{
    public uint Ifindex;
    public int ProgFd;
}

/// <summary>struct hover_trace_cfg: the filter of a running trace.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct HoverTraceCfg
{
    public uint Enabled;
    public uint Fields;
    public uint Src;
    public uint SrcMask;
    public uint Dst;
    public uint DstMask;
    public uint Addr;
    public uint AddrMask;
    public ushort Sport;
    public ushort Dport;
    public ushort Port;
    public byte Proto;
    public byte Pad;
}

/// <summary>struct hover_trace_event: one hop of a traced packet.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct HoverTraceEvent
{
    public const int Snap = 64;

    public ulong TsNs;
    public uint TraceId;
    public uint Module;
    public uint Port;
    public uint Verdict;
    public uint Hop;
    public uint Len;
    public uint Ifindex;
    public uint CapLen;
    public fixed byte Head[Snap];
}

