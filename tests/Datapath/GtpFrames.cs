using System.Buffers.Binary;
using static IoVisor.Datapath.Tests.FrameBuilder;

namespace IoVisor.Datapath.Tests;

/// <summary>GTP messages built byte by byte (TS 29.281 for GTPv1-U, TS 29.274 for GTPv2-C), and the
/// Ethernet/IPv4/UDP frames that carry them from 10.9.0.1:40000 to 10.9.0.2.</summary>
internal static class GtpFrames
{
    public const ushort PortC = 2123;
    public const ushort PortU = 2152;
    public const byte GPdu = 255;
    public const byte GtpEchoRequest = 1;
    public const byte CreateSessionRequest = 32;
    public const string Source = "10.9.0.1";
    public const string Destination = "10.9.0.2";
    public const ushort SourcePort = 40000;

    public static readonly byte[] SenderMac = Mac(0x51), MatcherMac = Mac(0x52);

    /// <summary>A GTPv1-U message: flags 0x30 (version 1, PT 1) plus E/S/PN as asked; the optional
    /// four octets when any of them is set (sequence, N-PDU, next extension type), then
    /// <paramref name="extension"/> (whole extension headers) and the payload. The length field
    /// counts everything after the first eight octets.</summary>
    public static byte[] V1(uint teid, byte type = GPdu, ushort? seq = null, byte? npdu = null, byte[]? extension = null,
        int payloadLength = 40)
    {
        var optional = seq is not null || npdu is not null || extension is not null;
        var body = new List<byte>();
        if (optional)
        {
            body.AddRange([(byte)((seq ?? 0) >> 8), (byte)(seq ?? 0), npdu ?? 0, extension is null ? (byte)0 : extension[0]]);
            if (extension is not null)
            {
                body.AddRange(extension.Skip(1));
            }
        }
        body.AddRange(Enumerable.Range(0, payloadLength).Select(i => (byte)(0x45 + i)));
        var m = new byte[8 + body.Count];
        m[0] = (byte)(0x30 | (extension is null ? 0 : 0x04) | (seq is null ? 0 : 0x02) | (npdu is null ? 0 : 0x01));
        m[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), (ushort)body.Count);
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), teid);
        body.CopyTo(m, 8);
        return m;
    }

    /// <summary>A GTPv2-C message: flags version 2, T when <paramref name="teid"/> is given, P when
    /// <paramref name="piggyback"/> follows; TEID, three-octet sequence number, spare, then
    /// <paramref name="bodyLength"/> octets of information elements. The length field counts
    /// everything after the first four octets of this message.</summary>
    public static byte[] V2(byte type, uint? teid, uint seq, int bodyLength = 20, byte[]? piggyback = null)
    {
        var header = teid is null ? 8 : 12;
        var m = new byte[header + bodyLength];
        m[0] = (byte)(0x40 | (piggyback is null ? 0 : 0x10) | (teid is null ? 0 : 0x08));
        m[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), (ushort)(m.Length - 4));
        var at = 4;
        if (teid is { } t)
        {
            BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), t);
            at = 8;
        }
        m[at] = (byte)(seq >> 16);
        m[at + 1] = (byte)(seq >> 8);
        m[at + 2] = (byte)seq;
        for (var i = header; i < m.Length; i++)
        {
            m[i] = (byte)(0x80 + i);
        }
        return piggyback is null ? m : [.. m, .. piggyback];
    }

    /// <summary>Ethernet (optionally tagged) + IPv4 + UDP to <paramref name="port"/> around
    /// <paramref name="message"/>. <paramref name="udpLengthDelta"/> makes the UDP length lie.</summary>
    public static byte[] Frame(ushort port, byte[] message, ushort? vid = null, int udpLengthDelta = 0, ushort fragOff = 0) =>
        Ethernet(MatcherMac, SenderMac, vid, EthertypeIpv4, Ipv4(Source, Destination, ProtoUdp, 64, Udp(port, message, udpLengthDelta), fragOff: fragOff));

    public static byte[] Udp(ushort port, byte[] payload, int lengthDelta = 0)
    {
        var u = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(u, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(2), port);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(4), (ushort)(u.Length + lengthDelta));
        payload.CopyTo(u, 8);
        return u;
    }
}
