using System.Buffers.Binary;
using static IoVisor.Datapath.Tests.FrameBuilder;

namespace IoVisor.Datapath.Tests;

/// <summary>Ethernet/IPv4 frames carrying TCP or UDP with real checksums (pseudo-header included),
/// and the check of those checksums recomputed from scratch.</summary>
internal static class L4Frames
{
    public const byte ProtoTcp = 6;
    public const byte Syn = 0x02;
    public const byte Ack = 0x10;
    public const byte SynAck = 0x12;

    public static byte[] Tcp(byte[] ethDst, byte[] ethSrc, string src, ushort sport, string dst, ushort dport, byte flags = Syn, int payload = 16)
    {
        var segment = new byte[20 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(segment, sport);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), 0x01020304);
        segment[12] = 5 << 4;
        segment[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), 64240);
        for (var i = 0; i < payload; i++)
        {
            segment[20 + i] = (byte)(0x30 + i);
        }
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(16), L4Checksum(src, dst, ProtoTcp, segment));
        return Ethernet(ethDst, ethSrc, null, EthertypeIpv4, Ipv4(src, dst, ProtoTcp, 64, segment));
    }

    /// <summary>UDP with its checksum computed, or 0 ("none") when <paramref name="checksum"/> is false.</summary>
    public static byte[] Udp(byte[] ethDst, byte[] ethSrc, string src, ushort sport, string dst, ushort dport, bool checksum = true, int payload = 24)
    {
        var datagram = new byte[8 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, sport);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)datagram.Length);
        for (var i = 0; i < payload; i++)
        {
            datagram[8 + i] = (byte)(0x60 + i);
        }
        if (checksum)
        {
            var sum = L4Checksum(src, dst, ProtoUdp, datagram);
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(6), sum == 0 ? (ushort)0xffff : sum);
        }
        return Ethernet(ethDst, ethSrc, null, EthertypeIpv4, Ipv4(src, dst, ProtoUdp, 64, datagram));
    }

    /// <summary>The Internet checksum of an L4 segment over the IPv4 pseudo-header (its own
    /// checksum field taken as it is: 0 when computing, the value when verifying).</summary>
    public static ushort L4Checksum(string src, string dst, byte proto, ReadOnlySpan<byte> segment)
    {
        var block = new byte[12 + segment.Length];
        Ip(src).CopyTo(block, 0);
        Ip(dst).CopyTo(block, 4);
        block[9] = proto;
        BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(10), (ushort)segment.Length);
        segment.CopyTo(block.AsSpan(12));
        return Checksum(block);
    }

    /// <summary>Whether the IPv4 header checksum and the TCP/UDP checksum of a frame are right,
    /// recomputed over the whole header and segment with the addresses the frame carries now.</summary>
    public static bool ChecksumsValid(byte[] frame)
    {
        if (!ChecksumValid(Ipv4Header(frame)))
        {
            return false;
        }
        var ip = Ipv4Header(frame);
        var src = new System.Net.IPAddress(ip.Slice(12, 4)).ToString();
        var dst = new System.Net.IPAddress(ip.Slice(16, 4)).ToString();
        var segment = Ipv4Payload(frame);
        if (ip[9] == ProtoUdp && BinaryPrimitives.ReadUInt16BigEndian(segment[6..]) == 0)
        {
            return true;
        }
        return L4Checksum(src, dst, ip[9], segment) == 0;
    }

    public static string Destination(byte[] frame) => $"{new System.Net.IPAddress(frame.AsSpan(30, 4))}:{BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(36))}";
}
