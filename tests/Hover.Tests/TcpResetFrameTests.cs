using System.Buffers.Binary;
using IoVisor.IoModules;

namespace IoVisor.Hover.Tests;

/// <summary>TCP resets as RFC 793 generates them, checked byte by byte.</summary>
public sealed class TcpResetFrameTests
{
    private const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10;
    private static readonly MacAddress ClientMac = new(0x02_00_00_00_00_01);
    private static readonly MacAddress ServerMac = new(0x02_00_00_00_00_02);

    [Fact]
    public void A_syn_is_refused_with_rst_ack_acknowledging_the_syn()
    {
        var reset = TcpResetFrame.Build(Segment(Syn, seq: 1000, ack: 0, payload: 0))!;
        var (seq, ack, flags) = Check(reset);
        Assert.Equal((0u, 1001u, (byte)(Rst | Ack)), (seq, ack, flags));
    }

    [Fact]
    public void A_segment_with_an_ack_is_refused_with_its_ack_as_sequence_number()
    {
        var (seq, _, flags) = Check(TcpResetFrame.Build(Segment(Ack | Psh, seq: 5000, ack: 77_777, payload: 100))!);
        Assert.Equal((77_777u, (byte)Rst), (seq, flags));
    }

    [Fact]
    public void Data_and_fin_without_an_ack_are_acknowledged_whole()
    {
        var (seq, ack, flags) = Check(TcpResetFrame.Build(Segment(Fin | Psh, seq: uint.MaxValue - 10, ack: 0, payload: 100))!);
        Assert.Equal((0u, 90u, (byte)(Rst | Ack)), (seq, ack, flags)); // wraps around: 2^32 - 11 + 101
    }

    [Fact]
    public void No_reset_answers_a_reset_a_fragment_or_a_broadcast()
    {
        Assert.Null(TcpResetFrame.Build(Segment(Rst | Ack, 1, 1, 0)));
        var fragment = Segment(Syn, 1, 0, 0);
        BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(14 + 6), 10);
        Assert.Null(TcpResetFrame.Build(fragment));
        var broadcast = Segment(Syn, 1, 0, 0);
        broadcast[14 + 19] = 255;
        broadcast[14 + 18] = 255;
        broadcast[14 + 17] = 255;
        broadcast[14 + 16] = 255;
        Assert.Null(TcpResetFrame.Build(broadcast));
        Assert.Null(TcpResetFrame.Build(Segment(Syn, 1, 0, 0)[..40]));
    }

    /// <summary>Addresses, ports and MACs swapped, both checksums right; returns SEQ, ACK and flags.</summary>
    private static (uint Seq, uint Ack, byte Flags) Check(byte[] reset)
    {
        Assert.Equal(ClientMac, EthernetFrame.Destination(reset));
        Assert.Equal(ServerMac, EthernetFrame.Source(reset));
        var ip = reset.AsSpan(14, 20);
        Assert.Equal(0, InternetChecksum.Compute(ip));
        Assert.Equal(40, BinaryPrimitives.ReadUInt16BigEndian(ip[2..]));
        Assert.Equal("192.0.2.80", Ipv4Address.Read(ip[12..]).ToString());
        Assert.Equal("10.0.0.2", Ipv4Address.Read(ip[16..]).ToString());
        var tcp = reset.AsSpan(34);
        Assert.Equal(20, tcp.Length);
        Assert.Equal(80, BinaryPrimitives.ReadUInt16BigEndian(tcp));
        Assert.Equal(40000, BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]));
        var pseudo = new byte[12 + tcp.Length];
        ip.Slice(12, 8).CopyTo(pseudo);
        pseudo[9] = 6;
        pseudo[11] = (byte)tcp.Length;
        tcp.CopyTo(pseudo.AsSpan(12));
        Assert.Equal(0, InternetChecksum.Compute(pseudo));
        return (BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]), BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]), tcp[13]);
    }

    /// <summary>10.0.0.2:40000 → 192.0.2.80:80 with the flags, numbers and payload given.</summary>
    private static byte[] Segment(byte flags, uint seq, uint ack, int payload)
    {
        var frame = new byte[14 + 20 + 20 + payload];
        EthernetFrame.WriteHeader(frame, ServerMac, ClientMac, EthernetFrame.EthertypeIpv4);
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(40 + payload));
        ip[8] = 64;
        ip[9] = 6;
        new byte[] { 10, 0, 0, 2 }.CopyTo(ip[12..]);
        new byte[] { 192, 0, 2, 80 }.CopyTo(ip[16..]);
        var tcp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], 80);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], ack);
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        return frame;
    }
}
