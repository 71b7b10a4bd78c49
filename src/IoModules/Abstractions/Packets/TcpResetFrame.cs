using System.Buffers.Binary;

namespace IoVisor.IoModules;

/// <summary>The TCP reset that refuses a received IPv4 segment, as if sent by its destination (RFC 793
/// "Reset Generation" and RFC 9293 3.10.7.1): an ACK is answered with SEQ = its ACK; anything else
/// with SEQ 0 and an ACK of everything the segment occupied (data, SYN, FIN).</summary>
public static class TcpResetFrame
{
    private const int IpHeaderLength = 20;
    private const int TcpHeaderLength = 20;
    private const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Ack = 0x10;

    /// <summary>The reset for <paramref name="original"/> (an untagged Ethernet frame), or null when
    /// none may be sent: not an unfragmented TCP segment, a reset itself, or from or to an address
    /// that is not one host.</summary>
    public static byte[]? Build(ReadOnlySpan<byte> original)
    {
        if (original.Length < EthernetFrame.HeaderLength + IpHeaderLength || EthernetFrame.Ethertype(original) != EthernetFrame.EthertypeIpv4)
        {
            return null;
        }
        var ip = original[EthernetFrame.HeaderLength..];
        var ipLength = (ip[0] & 0x0f) * 4;
        var total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (ip[0] >> 4 != 4 || ip[9] != 6 || ipLength < IpHeaderLength || total > ip.Length || total < ipLength + TcpHeaderLength
            || (BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x1fff) != 0)
        {
            return null;
        }
        var source = Ipv4Address.Read(ip[12..]);
        var destination = Ipv4Address.Read(ip[16..]);
        var tcp = ip[ipLength..total];
        var flags = tcp[13];
        var tcpLength = (tcp[12] >> 4) * 4;
        if ((flags & Rst) != 0 || tcpLength < TcpHeaderLength || tcpLength > tcp.Length || source.IsZero || source.IsMulticastOrBroadcast || source.IsLoopback
            || destination.IsMulticastOrBroadcast || EthernetFrame.Destination(original).IsMulticast)
        {
            return null;
        }

        var frame = new byte[EthernetFrame.HeaderLength + IpHeaderLength + TcpHeaderLength];
        EthernetFrame.WriteHeader(frame, EthernetFrame.Source(original), EthernetFrame.Destination(original), EthernetFrame.EthertypeIpv4);
        var header = frame.AsSpan(EthernetFrame.HeaderLength, IpHeaderLength);
        header[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], IpHeaderLength + TcpHeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], 0x4000); // DF, as Linux sends its resets
        header[8] = 64;
        header[9] = 6;
        destination.Write(header[12..]);
        source.Write(header[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], InternetChecksum.Compute(header));

        var reset = frame.AsSpan(EthernetFrame.HeaderLength + IpHeaderLength);
        tcp[2..4].CopyTo(reset);
        tcp[..2].CopyTo(reset[2..]);
        reset[12] = TcpHeaderLength / 4 << 4;
        if ((flags & Ack) != 0)
        {
            tcp.Slice(8, 4).CopyTo(reset[4..]);
            reset[13] = Rst;
        }
        else
        {
            var occupied = tcp.Length - tcpLength + ((flags & Syn) != 0 ? 1 : 0) + ((flags & Fin) != 0 ? 1 : 0);
            BinaryPrimitives.WriteUInt32BigEndian(reset[8..], BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]) + (uint)occupied);
            reset[13] = Rst | Ack;
        }
        BinaryPrimitives.WriteUInt16BigEndian(reset[16..], Checksum(destination, source, reset));
        return frame;
    }

    /// <summary>The TCP checksum over the pseudo-header (RFC 793 3.1) and the segment.</summary>
    private static ushort Checksum(Ipv4Address source, Ipv4Address destination, ReadOnlySpan<byte> segment)
    {
        Span<byte> pseudo = stackalloc byte[12 + segment.Length];
        source.Write(pseudo);
        destination.Write(pseudo[4..]);
        pseudo[9] = 6;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo[10..], (ushort)segment.Length);
        segment.CopyTo(pseudo[12..]);
        return InternetChecksum.Compute(pseudo);
    }
}
