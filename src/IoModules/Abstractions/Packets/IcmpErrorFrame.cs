using System.Buffers.Binary;

namespace IoVisor.IoModules;

/// <summary>ICMP error messages about a received IPv4 frame (RFC 792, RFC 1812 4.3.2).</summary>
public static class IcmpErrorFrame
{
    public const byte DestinationUnreachable = 3;
    public const byte TimeExceeded = 11;
    public const byte CodeNetUnreachable = 0;
    public const byte CodeHostUnreachable = 1;
    public const byte CodeTtlExceeded = 0;

    private const int IpHeaderLength = 20;
    private const int IcmpHeaderLength = 8;

    /// <summary>RFC 1812: an error datagram is at most 576 bytes, the quoted datagram as much as fits.</summary>
    private const int MaxDatagram = 576;

    /// <summary>The error to send back to the sender of <paramref name="original"/>, or null when
    /// RFC 1812 forbids one: the original is not IPv4, is an ICMP error itself, a non-first fragment,
    /// or was sent from or to an address that is not one host.</summary>
    public static byte[]? Build(ReadOnlySpan<byte> original, MacAddress sourceMac, Ipv4Address sourceIp, byte type, byte code)
    {
        if (!TryQuote(original, out var ip))
        {
            return null;
        }
        var quoted = ip[..Math.Min(ip.Length, MaxDatagram - IpHeaderLength - IcmpHeaderLength)];
        var frame = new byte[EthernetFrame.HeaderLength + IpHeaderLength + IcmpHeaderLength + quoted.Length];
        EthernetFrame.WriteHeader(frame, EthernetFrame.Source(original), sourceMac, EthernetFrame.EthertypeIpv4);

        var header = frame.AsSpan(EthernetFrame.HeaderLength, IpHeaderLength);
        header[0] = 0x45;
        header[1] = 0xc0; // precedence "internetwork control", as Linux sends its errors
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(frame.Length - EthernetFrame.HeaderLength));
        header[8] = 64;
        header[9] = 1;
        sourceIp.Write(header[12..]);
        ip.Slice(12, 4).CopyTo(header[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], InternetChecksum.Compute(header));

        var icmp = frame.AsSpan(EthernetFrame.HeaderLength + IpHeaderLength);
        icmp[0] = type;
        icmp[1] = code;
        quoted.CopyTo(icmp[IcmpHeaderLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], InternetChecksum.Compute(icmp));
        return frame;
    }

    private static bool TryQuote(ReadOnlySpan<byte> original, out ReadOnlySpan<byte> ip)
    {
        ip = default;
        if (original.Length < EthernetFrame.HeaderLength + IpHeaderLength
            || EthernetFrame.Ethertype(original) != EthernetFrame.EthertypeIpv4)
        {
            return false;
        }
        ip = original[EthernetFrame.HeaderLength..];
        var headerLength = (ip[0] & 0x0f) * 4;
        if (ip[0] >> 4 != 4 || headerLength < IpHeaderLength || ip.Length < headerLength)
        {
            return false;
        }
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (totalLength >= headerLength && totalLength < ip.Length)
        {
            ip = ip[..totalLength];
        }
        var fragmentOffset = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x1fff;
        var source = Ipv4Address.Read(ip[12..]);
        var destination = Ipv4Address.Read(ip[16..]);
        if (fragmentOffset != 0 || source.IsZero || source.IsMulticastOrBroadcast || source.IsLoopback
            || destination.IsMulticastOrBroadcast || EthernetFrame.Destination(original).IsMulticast)
        {
            return false;
        }
        return ip[9] != 1 || ip.Length <= headerLength || !IsError(ip[headerLength]);
    }

    private static bool IsError(byte icmpType) => icmpType is 3 or 4 or 5 or 11 or 12;
}
