using System.Runtime.InteropServices;

namespace IoVisor.IoModules.Bridge;

/// <summary>Mirrors of modules/bpf/include/bridge_types.h.</summary>
public static class BridgeAbi
{
    public const int MaxPorts = 32;
    public const int VlanWords = 64;
    public const uint FdbStatic = 1;
    public const uint PortAccess = 1;
    public const uint PortTrunk = 2;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct BridgeFdbKey
{
    public fixed byte Mac[6];
    public ushort Vlan;
}

[StructLayout(LayoutKind.Sequential)]
public struct BridgeFdbEntry
{
    public uint Port;
    public uint Flags;
    public ulong SeenNs;
}

[StructLayout(LayoutKind.Sequential)]
public struct BridgeConfig
{
    public ulong AgingNs;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct BridgePort
{
    public uint Mode;
    public ushort Pvid;
    public ushort Pad;
    public fixed ulong Vlans[BridgeAbi.VlanWords];
}
