using System.Runtime.InteropServices;

namespace IoVisor.IoModules.Router;

/// <summary>Mirrors of modules/bpf/include/router_types.h.</summary>
public static class RouterAbi
{
    public const int MaxPorts = 32;
    public const int RoutesSize = 16384;
    public const int NeighSize = 16384;
    public const int LocalSize = 256;
    public const uint RouteConnected = 1;
    public const uint RouteStatic = 2;
    public const uint RouteLocal = 4;
    public const uint PortNone = 0xffffffff;
    public const ushort NeighStatic = 1;

    public const uint PuntArpMiss = 16;
    public const uint PuntTtl = 17;
    public const uint PuntNoRoute = 18;
    public const uint PuntNeigh = 19;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct RouterPort
{
    public fixed byte Mac[6];
    public ushort Enabled;
}

[StructLayout(LayoutKind.Sequential)]
public struct RouterLocal
{
    public uint Port;
}

/// <summary>struct router_route_key; <see cref="Addr"/> holds the address bytes in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RouterRouteKey
{
    public uint Prefixlen;
    public uint Addr;
}

/// <summary>struct router_route; <see cref="Nexthop"/> in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RouterRoute
{
    public uint Port;
    public uint Nexthop;
    public uint Flags;
    public uint Pad;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct RouterNeigh
{
    public fixed byte Mac[6];
    public ushort Flags;
    public uint Port;
    public ulong SeenNs;
}
