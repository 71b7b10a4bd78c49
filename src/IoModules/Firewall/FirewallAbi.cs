using System.Runtime.InteropServices;

namespace IoVisor.IoModules.Firewall;

/// <summary>Mirrors of modules/bpf/include/firewall_types.h.</summary>
public static class FirewallAbi
{
    public const int MaxPorts = 2;
    public const int MaxSlots = 32768;
    public const int MaxTuples = 64;
    public const int GenerationKeys = 65536;
    public const int TextLength = 64;
    public const uint PortNone = 0xffffffff;

    public const uint RoleInside = 1;
    public const uint RoleOutside = 2;

    public const uint PuntReject = 16;

    /// <summary>Indexes into ct_entry.data.</summary>
    public const int CtSlot = 0;
    public const int CtSerial = 1;
    public const int CtDirection = 2;

    public const byte MatchSport = 1;
    public const byte MatchDport = 2;
    public const byte MatchIcmpType = 4;
    public const byte MatchIcmpCode = 8;
    public const byte MatchSrc = 16;
    public const byte MatchDst = 32;
}

/// <summary>struct fw_port (fw_ports[port]).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FwPort
{
    public uint Role;
    public uint Peer;
}

/// <summary>struct fw_key; addresses and ports in network order. Equal when their bytes are.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct FwKey : IEquatable<FwKey>
{
    public byte Gen;
    public byte Tuple;
    public byte Dir;
    public byte Proto;
    public uint Saddr;
    public uint Daddr;
    public ushort Sport;
    public ushort Dport;
    public byte TcpFlags;
    public byte CtState;
    public fixed byte Pad[2];

    public readonly bool Equals(FwKey other) => Bytes(in this).SequenceEqual(Bytes(in other));

    public override readonly bool Equals(object? obj) => obj is FwKey other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes(in this));
        return hash.ToHashCode();
    }

    private static ReadOnlySpan<byte> Bytes(in FwKey key) => MemoryMarshal.AsBytes(new ReadOnlySpan<FwKey>(in key));
}

/// <summary>struct fw_verdict.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FwVerdict
{
    public uint Rank;
    public uint Slot;
    public uint Serial;
    public uint Action;
}

/// <summary>struct fw_mask; masks in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FwMask
{
    public uint Tuple;
    public uint MaxRank;
    public uint Saddr;
    public uint Daddr;
    public ushort Sport;
    public ushort Dport;
    public byte Proto;
    public byte TcpFlags;
    public byte CtState;
    public byte Pad;
}

/// <summary>struct fw_set (fw_sets[generation]): <see cref="Masks"/> holds
/// <see cref="FirewallAbi.MaxTuples"/> <see cref="FwMask"/>s, read and written through <see cref="MaskSpan"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct FwSet
{
    public const int MaskSize = 24;

    public uint Count;
    public uint DefaultAction;
    public uint LastSerial;
    public uint Pad;
    public fixed byte Masks[FirewallAbi.MaxTuples * MaskSize];

    public static Span<FwMask> MaskSpan(ref FwSet set) =>
        MemoryMarshal.Cast<byte, FwMask>(MemoryMarshal.CreateSpan(ref set.Masks[0], FirewallAbi.MaxTuples * MaskSize));
}

/// <summary>struct fw_hits (per CPU).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FwHits
{
    public ulong Packets;
    public ulong Bytes;
}

/// <summary>struct fw_epoch (per CPU).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FwEpoch
{
    public ulong Started;
    public ulong Finished;
}

/// <summary>struct fw_rule (fw_rules[slot]); <see cref="Src"/> and <see cref="Dst"/> in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct FwRule
{
    public uint Serial;
    public ushort Priority;
    public byte Direction;
    public byte Action;
    public uint Src;
    public uint Dst;
    public byte SrcLen;
    public byte DstLen;
    public byte Proto;
    public byte CtStates;
    public ushort SportLo;
    public ushort SportHi;
    public ushort DportLo;
    public ushort DportHi;
    public byte IcmpType;
    public byte IcmpCode;
    public byte Fields;
    public byte TcpFlags;
    public byte TcpFlagsMask;
    public fixed byte Pad[3];
    public fixed byte Key[FirewallAbi.TextLength];
    public fixed byte Name[FirewallAbi.TextLength];
}
