using System.Runtime.InteropServices;

namespace IoVisor.IoModules.L4lb;

/// <summary>Mirrors of modules/bpf/include/l4lb_types.h.</summary>
public static class L4lbAbi
{
    public const int MaxServices = 64;
    public const int MaglevStride = 65537;
    public const int MaxBackends = 4096;
    public const uint PortNone = 0xffffffff;
    public const uint ModeDnat = 0;
    public const uint ModeDsr = 1;
}

/// <summary>struct lb_config: lb_cfg[0].</summary>
[StructLayout(LayoutKind.Sequential)]
public struct LbConfig
{
    public uint FrontPort;
    public uint BackPort;
}

/// <summary>struct lb_service_key; <see cref="Vip"/> and <see cref="Port"/> in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct LbServiceKey
{
    public uint Vip;
    public ushort Port;
    public byte Proto;
    public byte Pad;
}

[StructLayout(LayoutKind.Sequential)]
public struct LbService
{
    public uint Index;
    public uint TableSize;
    public uint Mode;
    public uint Pad;
}

/// <summary>struct lb_backend; <see cref="Addr"/> and <see cref="Port"/> in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct LbBackend
{
    public uint Addr;
    public ushort Port;
    public fixed byte Mac[6];
    public uint Service;
}

/// <summary>struct lb_flow: what a connection keeps in its ct_entry.data.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct LbFlow
{
    public uint BackendAddr;
    public ushort BackendPort;
    public fixed byte BackendMac[6];
    public ushort Service;
    public ushort Mode;
}

/// <summary>struct lb_service_stats (per CPU).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct LbServiceStats
{
    public ulong Packets;
    public ulong Bytes;
    public ulong Flows;
    public ulong NoBackend;
}
