using System.Runtime.InteropServices;

namespace IoVisor.IoModules.Gtp;

/// <summary>Mirrors of modules/bpf/include/gtp_types.h.</summary>
public static class GtpAbi
{
    public const int MaxPorts = 32;
    public const int MaxRules = 16384;
    public const uint PortNone = 0xffffffff;
    public const uint RuleNone = 0xffffffff;

    public const uint ActionDrop = 0;
    public const uint ActionForward = 1;
    public const uint ActionPunt = 2;
    public const uint ActionPass = 3;

    public const byte KeyAnyType = 1;
    public const byte KeyNoTeid = 2;

    public const uint CounterGtpv1u = 0;
    public const uint CounterGtpv2c = 1;
    public const uint CounterUnmatched = 2;
    public const uint CounterNonGtp = 3;
    public const uint CounterTruncated = 4;
    public const uint CounterBadVersion = 5;
    public const uint CounterBadLength = 6;
    public const uint CounterBadProtocol = 7;
    public const int CounterCount = 8;

    public const uint ConfigMalformedPass = 1;
    public const ushort PortSetDmac = 1;

    public const uint PuntRule = 16;
    public const uint PuntDefault = 17;

    /// <summary>Set in punt words 0 and 2 when the message carries the TEID or sequence number.</summary>
    public const ulong WordPresent = 1UL << 32;
}

[StructLayout(LayoutKind.Sequential)]
public struct GtpRuleKey
{
    public uint Teid;
    public byte Version;
    public byte MsgType;
    public byte Flags;
    public byte Pad;
}

[StructLayout(LayoutKind.Sequential)]
public struct GtpRule
{
    public uint Action;
    public uint Port;
    public uint RuleId;
    public uint Pad;
}

/// <summary>struct gtp_count (per CPU).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct GtpCount
{
    public ulong Packets;
    public ulong Bytes;
}

[StructLayout(LayoutKind.Sequential)]
public struct GtpConfig
{
    public uint DefaultAction;
    public uint DefaultPort;
    public uint NonGtpAction;
    public uint NonGtpPort;
    public uint Flags;
    public uint Pad;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct GtpPort
{
    public fixed byte Dmac[6];
    public ushort Flags;
}
