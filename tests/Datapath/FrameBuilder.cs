using System.Buffers.Binary;

namespace IoVisor.Datapath.Tests;

/// <summary>Ethernet frames (optionally 802.1Q tagged) carrying IPv4/UDP, IPv4/ICMP or ARP, built byte by byte.</summary>
internal static class FrameBuilder
{
    public const ushort EthertypeIpv4 = 0x0800;
    public const ushort EthertypeArp = 0x0806;
    public const ushort EthertypeVlan = 0x8100;
    public const byte ProtoIcmp = 1;
    public const byte ProtoUdp = 17;
    public const ushort ArpRequest = 1;
    public const ushort ArpReply = 2;

    public static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    /// <summary>A locally administered unicast MAC 02:00:00:00:00:<paramref name="last"/>.</summary>
    public static byte[] Mac(byte last) => [0x02, 0x00, 0x00, 0x00, 0x00, last];

    /// <summary>Ethernet + (802.1Q tag when <paramref name="vid"/> is set) + IPv4 + UDP + payload.</summary>
    public static byte[] Udp(byte[] dst, byte[] src, ushort? vid = null, int payloadLength = 32)
    {
        byte[] l3 = Ipv4Udp(payloadLength);
        return Ethernet(dst, src, vid, EthertypeIpv4, l3);
    }

    public static byte[] Ethernet(byte[] dst, byte[] src, ushort? vid, ushort ethertype, byte[] payload)
    {
        int l2 = vid is null ? 14 : 18;
        var frame = new byte[l2 + payload.Length];
        dst.CopyTo(frame, 0);
        src.CopyTo(frame, 6);
        if (vid is ushort v)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), EthertypeVlan);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), (ushort)(v & 0x0fff));
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), ethertype);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), ethertype);
        }

        payload.CopyTo(frame, l2);
        return frame;
    }

    /// <summary>10.0.0.1:1000 → 10.0.0.2:2000, checksummed IPv4 header, UDP checksum 0.</summary>
    public static byte[] Ipv4Udp(int payloadLength)
    {
        var p = new byte[20 + 8 + payloadLength];
        Span<byte> ip = p.AsSpan(0, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)p.Length);
        ip[8] = 64;
        ip[9] = 17;
        byte[] saddr = [10, 0, 0, 1], daddr = [10, 0, 0, 2];
        saddr.CopyTo(ip[12..]);
        daddr.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip));
        Span<byte> udp = p.AsSpan(20, 8);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 1000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 2000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payloadLength));
        for (int i = 0; i < payloadLength; i++)
        {
            p[28 + i] = (byte)i;
        }

        return p;
    }

    /// <summary>The 4 bytes of a dotted IPv4 address.</summary>
    public static byte[] Ip(string dotted) => System.Net.IPAddress.Parse(dotted).GetAddressBytes();

    /// <summary>An IPv4 address as the uint whose in-memory bytes are the address in network order:
    /// the representation of a __be32 key or field in the BPF maps.</summary>
    public static uint IpKey(string dotted) => BinaryPrimitives.ReadUInt32LittleEndian(Ip(dotted));

    /// <summary>
    /// An IPv4 packet (header checksummed) around <paramref name="l4"/>. <paramref name="options"/>
    /// (a multiple of 4 bytes) go after the 20-byte header; <paramref name="id"/>, <paramref name="tos"/>
    /// and <paramref name="fragOff"/> (flags and offset, host order) as given.
    /// </summary>
    public static byte[] Ipv4(
        string src, string dst, byte protocol, byte ttl, byte[] l4,
        ushort id = 0x1234, byte tos = 0, ushort fragOff = 0, byte[]? options = null)
    {
        options ??= [];
        if (options.Length % 4 != 0 || options.Length > 40)
        {
            throw new ArgumentException("IPv4 options are a multiple of 4 bytes, at most 40", nameof(options));
        }

        int hl = 20 + options.Length;
        var p = new byte[hl + l4.Length];
        Span<byte> ip = p.AsSpan(0, hl);
        ip[0] = (byte)(0x40 | (hl / 4));
        ip[1] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)p.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], id);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], fragOff);
        ip[8] = ttl;
        ip[9] = protocol;
        Ip(src).CopyTo(ip[12..]);
        Ip(dst).CopyTo(ip[16..]);
        options.CopyTo(ip[20..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip));
        l4.CopyTo(p, hl);
        return p;
    }

    /// <summary>A UDP datagram 1000 → 2000 with a counting payload, UDP checksum 0.</summary>
    public static byte[] UdpDatagram(int payloadLength = 32)
    {
        var u = new byte[8 + payloadLength];
        BinaryPrimitives.WriteUInt16BigEndian(u, 1000);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(2), 2000);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(4), (ushort)u.Length);
        for (int i = 0; i < payloadLength; i++)
        {
            u[8 + i] = (byte)i;
        }

        return u;
    }

    /// <summary>Ethernet + IPv4 (<paramref name="ttl"/>) + UDP from <paramref name="src"/> to <paramref name="dst"/>.</summary>
    public static byte[] Ipv4UdpFrame(byte[] ethDst, byte[] ethSrc, string src, string dst, byte ttl = 64, ushort? vid = null, ushort id = 0x1234) =>
        Ethernet(ethDst, ethSrc, vid, EthertypeIpv4, Ipv4(src, dst, ProtoUdp, ttl, UdpDatagram(), id));

    /// <summary>An ICMP message (type, code, identifier, sequence, payload) with its checksum.</summary>
    public static byte[] Icmp(byte type, byte code, ushort ident, ushort sequence, int payloadLength = 56)
    {
        var m = new byte[8 + payloadLength];
        m[0] = type;
        m[1] = code;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(4), ident);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(6), sequence);
        for (int i = 0; i < payloadLength; i++)
        {
            m[8 + i] = (byte)(0xa0 + i);
        }

        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), Checksum(m));
        return m;
    }

    /// <summary>Ethernet + IPv4 + ICMP echo request (type 8).</summary>
    public static byte[] EchoRequest(byte[] ethDst, byte[] ethSrc, string src, string dst, byte ttl = 64, ushort ident = 0x4242, ushort sequence = 7) =>
        Ethernet(ethDst, ethSrc, null, EthertypeIpv4, Ipv4(src, dst, ProtoIcmp, ttl, Icmp(8, 0, ident, sequence)));

    /// <summary>An Ethernet/IPv4 ARP packet, zero-padded to the 60-byte Ethernet minimum.</summary>
    public static byte[] Arp(
        ushort op, byte[] ethDst, byte[] ethSrc, byte[] sha, string spa, byte[] tha, string tpa,
        ushort? vid = null, ushort htype = 1, ushort ptype = EthertypeIpv4, byte hlen = 6, byte plen = 4)
    {
        var a = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(a, htype);
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(2), ptype);
        a[4] = hlen;
        a[5] = plen;
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(6), op);
        sha.CopyTo(a, 8);
        Ip(spa).CopyTo(a, 14);
        tha.CopyTo(a, 18);
        Ip(tpa).CopyTo(a, 24);
        var frame = Ethernet(ethDst, ethSrc, vid, EthertypeArp, a);
        return frame.Length >= 60 ? frame : [.. frame, .. new byte[60 - frame.Length]];
    }

    /// <summary>The IPv4 header of an untagged Ethernet frame (ihl * 4 bytes from offset 14).</summary>
    public static ReadOnlySpan<byte> Ipv4Header(ReadOnlySpan<byte> frame) => frame.Slice(14, (frame[14] & 0x0f) * 4);

    /// <summary>What follows the IPv4 header of an untagged Ethernet frame, up to the IPv4 total length.</summary>
    public static ReadOnlySpan<byte> Ipv4Payload(ReadOnlySpan<byte> frame)
    {
        int hl = (frame[14] & 0x0f) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
        return frame.Slice(14 + hl, total - hl);
    }

    /// <summary>Whether a block with its checksum field filled in sums to 0xffff (the checksum recomputed
    /// over the whole block, not incrementally).</summary>
    public static bool ChecksumValid(ReadOnlySpan<byte> data) => Checksum(data) == 0;

    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if ((data.Length & 1) != 0)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <summary>The 802.1Q VID of <paramref name="frame"/>, or null when it carries no tag.</summary>
    public static ushort? VlanOf(ReadOnlySpan<byte> frame) =>
        frame.Length >= 18 && BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) == EthertypeVlan
            ? (ushort)(BinaryPrimitives.ReadUInt16BigEndian(frame[14..]) & 0x0fff)
            : null;

    /// <summary>The frame without its 802.1Q tag (unchanged when untagged).</summary>
    public static byte[] Untag(byte[] frame) =>
        VlanOf(frame) is null ? frame : [.. frame.AsSpan(0, 12), .. frame.AsSpan(16)];
}
