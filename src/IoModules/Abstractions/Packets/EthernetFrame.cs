using System.Buffers.Binary;

namespace IoVisor.IoModules;

/// <summary>Offsets and readers of untagged Ethernet II frames carrying IPv4 or ARP.</summary>
public static class EthernetFrame
{
    public const int HeaderLength = 14;
    public const ushort EthertypeIpv4 = 0x0800;
    public const ushort EthertypeArp = 0x0806;

    public static MacAddress Destination(ReadOnlySpan<byte> frame) => MacAddress.FromBytes(frame);

    public static MacAddress Source(ReadOnlySpan<byte> frame) => MacAddress.FromBytes(frame[6..]);

    public static ushort Ethertype(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);

    public static void WriteHeader(Span<byte> frame, MacAddress destination, MacAddress source, ushort ethertype)
    {
        destination.CopyTo(frame);
        source.CopyTo(frame[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], ethertype);
    }
}
