using System.Buffers.Binary;

namespace IoVisor.IoModules.Firewall;

/// <summary>The packet fields the classifier matches, in host order: a packet's values, a tuple's
/// masks or a key under them. ICMP puts its type where the source port is and its code where the
/// destination port is; <see cref="State"/> is one FW_CT_* bit in a packet.</summary>
public readonly record struct MatchFields(byte Proto, uint Source, uint Destination, ushort SourcePort, ushort DestinationPort, byte TcpFlags, byte State)
{
    public MatchFields Under(MatchFields mask) => new(
        (byte)(Proto & mask.Proto), Source & mask.Source, Destination & mask.Destination,
        (ushort)(SourcePort & mask.SourcePort), (ushort)(DestinationPort & mask.DestinationPort),
        (byte)(TcpFlags & mask.TcpFlags), (byte)(State & mask.State));

    public FwKey ToKernelKey(RuleDirection direction, int tuple) => new()
    {
        Tuple = (byte)tuple,
        Dir = (byte)direction,
        Proto = Proto,
        Saddr = Be(Source),
        Daddr = Be(Destination),
        Sport = Be(SourcePort),
        Dport = Be(DestinationPort),
        TcpFlags = TcpFlags,
        CtState = State,
    };

    public FwMask ToKernelMask(int tuple, uint maxRank) => new()
    {
        Tuple = (uint)tuple,
        MaxRank = maxRank,
        Proto = Proto,
        Saddr = Be(Source),
        Daddr = Be(Destination),
        Sport = Be(SourcePort),
        Dport = Be(DestinationPort),
        TcpFlags = TcpFlags,
        CtState = State,
    };

    public static MatchFields FromKernel(FwMask m) => new(m.Proto, Be(m.Saddr), Be(m.Daddr), Be(m.Sport), Be(m.Dport), m.TcpFlags, m.CtState);

    private static uint Be(uint value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    private static ushort Be(ushort value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
}

/// <summary>One key of the classifier: a tuple's masks and a rule's fields under them, for one direction.</summary>
public readonly record struct ClassifierEntry(MatchFields Mask, RuleDirection Direction, MatchFields Value);

/// <summary>What a classifier key decides: the best-ranked rule among those that share the key.</summary>
public readonly record struct Contender(uint Rank, int Slot, uint Serial, RuleAction Action)
{
    /// <summary>Higher rank first, then the lower slot, so that the choice does not depend on order.</summary>
    public bool Beats(Contender other) => Rank != other.Rank ? Rank > other.Rank : Slot < other.Slot;

    public FwVerdict ToKernel() => new() { Rank = Rank, Slot = (uint)Slot, Serial = Serial, Action = (uint)Action };
}
