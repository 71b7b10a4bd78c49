using System.Runtime.InteropServices;

namespace IoVisor.IoModules.Nat;

/// <summary>Mirrors of modules/bpf/include/nat_types.h.</summary>
public static class NatAbi
{
    public const int MaxPorts = 2;
    public const int SnatSize = 4096;
    public const int DnatSize = 4096;
    public const int ArpSize = 4096;
    public const int PortTries = 32;

    public const uint Snat = 1;
    public const uint Masquerade = 2;
    public const uint Dnat = 3;
    public const uint DnatAndSnat = 4;

    public const uint SideInside = 0;
    public const uint SideOutside = 1;

    /// <summary>Indexes into ct_entry.data.</summary>
    public const int CtRule = 0;
    public const int CtSide = 1;
    public const int CtType = 2;

    public const uint HasInside = 1;
    public const uint HasOutside = 2;
}

/// <summary>struct nat_config (nat_cfg[0]); <see cref="OutsideAddr"/> in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NatConfig
{
    public uint InsidePort;
    public uint OutsidePort;
    public uint Ports;
    public uint OutsideAddr;
    public fixed byte ExternalMac[6];
    public ushort Pad;
}

/// <summary>struct nat_snat_key: an LPM trie key, <see cref="Addr"/> in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NatSnatKey
{
    public uint Prefixlen;
    public uint Addr;
}

/// <summary>struct nat_snat_rule: addresses in network order, ports in host order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NatSnatRule
{
    public uint ExtFirst;
    public uint ExtLast;
    public ushort PortFirst;
    public ushort PortLast;
    public uint RuleId;
    public uint Type;
}

/// <summary>struct nat_dnat_key: address and port in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NatDnatKey
{
    public uint Addr;
    public ushort Port;
    public byte Proto;
    public byte Pad;
}

/// <summary>struct nat_dnat_rule: address and port in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NatDnatRule
{
    public uint Addr;
    public ushort Port;
    public ushort Pad;
    public uint RuleId;
    public uint Type;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct NatMac
{
    public fixed byte Mac[6];
    public ushort Known;
}

[StructLayout(LayoutKind.Sequential)]
public struct NatArpEntry
{
    public uint Rules;
}
