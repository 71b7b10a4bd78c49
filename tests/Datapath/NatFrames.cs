using System.Buffers.Binary;
using static IoVisor.Datapath.Tests.FrameBuilder;

namespace IoVisor.Datapath.Tests;

/// <summary>One direction of a flow as a frame carries it; ICMP echo: both ports are the identifier.</summary>
public readonly record struct Tuple5(byte Proto, string Src, ushort Sport, string Dst, ushort Dport);

/// <summary>
/// Untagged Ethernet/IPv4 frames with TCP, UDP or ICMP echo and correct checksums, and the checks a
/// translated frame must pass: its tuple, every other byte unchanged, and the IPv4 header and L4
/// checksums right when recomputed from scratch over the new bytes (TCP and UDP with the pseudo-header).
/// </summary>
internal static class NatFrames
{
    public const byte ProtoTcp = 6;
    public const byte TcpSyn = 0x02;
    public const byte TcpAck = 0x10;
    private const int L3 = 14;

    public static readonly byte[] HostMac = Mac(0x21), RouterMac = Mac(0x22), ServerMac = Mac(0x23);

    public static byte[] Frame(Tuple5 t, byte tcpFlags = TcpAck, bool udpChecksum = true, byte icmpType = 8, int payload = 24)
    {
        byte[] l4 = t.Proto switch
        {
            ProtoTcp => Tcp(t, tcpFlags, payload),
            ProtoUdp => Udp(t, payload),
            _ => Icmp(icmpType, 0, t.Sport, 1, payload),
        };
        var frame = Ethernet(ServerMac, HostMac, null, EthertypeIpv4, Ipv4(t.Src, t.Dst, t.Proto, 64, l4));
        if (t.Proto != ProtoIcmp && (t.Proto == ProtoTcp || udpChecksum))
        {
            WriteL4Checksum(frame);
        }
        return frame;
    }

    /// <summary>An ICMP error from <paramref name="src"/> to <paramref name="dst"/> quoting the IPv4
    /// packet of <paramref name="quotedFrame"/>, whole or its first <paramref name="quote"/> bytes
    /// (type 3 code 4 carries next-hop MTU 1400).</summary>
    public static byte[] IcmpError(string src, string dst, byte type, byte code, byte[] quotedFrame, int? quote = null)
    {
        var packet = quotedFrame.AsSpan(L3);
        var m = new byte[8 + (quote ?? packet.Length)];
        m[0] = type;
        m[1] = code;
        if (type == 3 && code == 4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(6), 1400);
        }
        packet[..(m.Length - 8)].CopyTo(m.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), Checksum(m));
        return Ethernet(ServerMac, HostMac, null, EthertypeIpv4, Ipv4(src, dst, ProtoIcmp, 64, m));
    }

    public static Tuple5 TupleOf(ReadOnlySpan<byte> frame)
    {
        var ip = Ipv4Header(frame);
        var l4 = Ipv4Payload(frame);
        var proto = ip[9];
        var (sport, dport) = proto == ProtoIcmp
            ? (BinaryPrimitives.ReadUInt16BigEndian(l4[4..]), BinaryPrimitives.ReadUInt16BigEndian(l4[4..]))
            : (BinaryPrimitives.ReadUInt16BigEndian(l4), BinaryPrimitives.ReadUInt16BigEndian(l4[2..]));
        return new Tuple5(proto, new System.Net.IPAddress(ip.Slice(12, 4)).ToString(), sport, new System.Net.IPAddress(ip.Slice(16, 4)).ToString(), dport);
    }

    /// <summary>
    /// <paramref name="actual"/> is <paramref name="original"/> with the tuple <paramref name="expected"/>:
    /// the same bytes but addresses, ports and checksums, and both checksums valid. A UDP checksum of 0
    /// (none) must stay 0.
    /// </summary>
    public static void AssertTranslated(byte[] original, byte[] actual, Tuple5 expected)
    {
        Assert.Equal(expected, TupleOf(actual));
        var want = (byte[])original.Clone();
        Write(want, expected);
        Assert.Equal(Masked(want), Masked(actual));
        Assert.True(ChecksumValid(Ipv4Header(actual)), "IPv4 header checksum wrong after translation");
        var proto = actual[L3 + 9];
        var sumOffset = SumOffset(actual);
        if (proto == ProtoUdp && BinaryPrimitives.ReadUInt16BigEndian(original.AsSpan(sumOffset)) == 0)
        {
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(actual.AsSpan(sumOffset)));
            return;
        }
        Assert.True(L4ChecksumValid(actual), $"{(proto == ProtoIcmp ? "ICMP" : proto == ProtoTcp ? "TCP" : "UDP")} checksum wrong after translation");
    }

    /// <summary>The L4 checksum recomputed over the bytes (with the pseudo-header for TCP and UDP) is right.</summary>
    public static bool L4ChecksumValid(byte[] frame) => L4Sum(frame) == 0;

    private static void WriteL4Checksum(byte[] frame)
    {
        var at = SumOffset(frame);
        frame[at] = frame[at + 1] = 0;
        var sum = L4Sum(frame);
        if (frame[L3 + 9] == ProtoUdp && sum == 0)
        {
            sum = 0xffff;
        }
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at), sum);
    }

    /// <summary>The checksum over the L4 bytes as they are (0 when their checksum field is right).</summary>
    private static ushort L4Sum(byte[] frame)
    {
        var ip = Ipv4Header(frame);
        var l4 = Ipv4Payload(frame).ToArray();
        if (ip[9] == ProtoIcmp)
        {
            return Checksum(l4);
        }
        var pseudo = new byte[12 + l4.Length];
        ip.Slice(12, 8).CopyTo(pseudo);
        pseudo[9] = ip[9];
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)l4.Length);
        l4.CopyTo(pseudo, 12);
        return Checksum(pseudo);
    }

    private static int SumOffset(ReadOnlySpan<byte> frame)
    {
        var l4 = L3 + (frame[L3] & 0x0f) * 4;
        return frame[L3 + 9] switch
        {
            ProtoTcp => l4 + 16,
            ProtoUdp => l4 + 6,
            _ => l4 + 2,
        };
    }

    private static void Write(byte[] frame, Tuple5 t)
    {
        Ip(t.Src).CopyTo(frame, L3 + 12);
        Ip(t.Dst).CopyTo(frame, L3 + 16);
        var l4 = L3 + (frame[L3] & 0x0f) * 4;
        if (t.Proto == ProtoIcmp)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(l4 + 4), t.Sport);
            return;
        }
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(l4), t.Sport);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(l4 + 2), t.Dport);
    }

    /// <summary>The frame with its IPv4 header and L4 checksum fields zeroed: what must not change.</summary>
    private static byte[] Masked(byte[] frame)
    {
        var m = (byte[])frame.Clone();
        m[L3 + 10] = m[L3 + 11] = 0;
        var at = SumOffset(m);
        m[at] = m[at + 1] = 0;
        return m;
    }

    private static byte[] Tcp(Tuple5 t, byte flags, int payload)
    {
        var s = new byte[20 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(s, t.Sport);
        BinaryPrimitives.WriteUInt16BigEndian(s.AsSpan(2), t.Dport);
        BinaryPrimitives.WriteUInt32BigEndian(s.AsSpan(4), 0x11223344);
        BinaryPrimitives.WriteUInt32BigEndian(s.AsSpan(8), flags == TcpSyn ? 0u : 0x55667788);
        s[12] = 5 << 4;
        s[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(s.AsSpan(14), 64240);
        for (var i = 0; i < payload; i++)
        {
            s[20 + i] = (byte)(0x30 + i);
        }
        return s;
    }

    private static byte[] Udp(Tuple5 t, int payload)
    {
        var u = new byte[8 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(u, t.Sport);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(2), t.Dport);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(4), (ushort)u.Length);
        for (var i = 0; i < payload; i++)
        {
            u[8 + i] = (byte)(0x60 + i);
        }
        return u;
    }
}
