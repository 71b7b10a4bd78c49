using System.Buffers.Binary;

namespace IoVisor.Datapath.Tests;

/// <summary>Ethernet frames (optionally 802.1Q tagged) carrying IPv4/UDP, built byte by byte.</summary>
internal static class FrameBuilder
{
    public const ushort EthertypeIpv4 = 0x0800;
    public const ushort EthertypeVlan = 0x8100;

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
