using System.Buffers.Binary;
using IoVisor.IoModules;
using IoVisor.IoModules.Firewall;

namespace IoVisor.Hover.Tests;

/// <summary>How the firewall's slow path answers what its rules reject.</summary>
public sealed class FirewallSlowPathTests
{
    private static readonly MacAddress ClientMac = new(0x02_00_00_00_00_01);
    private static readonly MacAddress ServerMac = new(0x02_00_00_00_00_02);

    [Theory]
    [InlineData(6, 6, 0, 0)]    // TCP: a reset
    [InlineData(17, 1, 3, 3)]   // UDP: port unreachable
    [InlineData(1, 1, 3, 13)]   // anything else: administratively prohibited
    [InlineData(47, 1, 3, 13)]
    public void A_rejected_packet_is_answered_back_out_of_its_port(byte protocol, byte answerProtocol, byte icmpType, byte icmpCode)
    {
        var slowPath = new RecordingSlowPath();
        new FirewallSlowPath(() => 0).Handle(Punt(Packet(protocol)), slowPath);
        var (module, port, direction, frame) = Assert.Single(slowPath.Sent);
        Assert.Equal((6, 1, FrameDirection.Tx), (module, port, direction));
        Assert.Equal(ClientMac, EthernetFrame.Destination(frame));
        Assert.Equal(ServerMac, EthernetFrame.Source(frame));
        Assert.Equal(answerProtocol, frame[14 + 9]);
        Assert.Equal("192.0.2.80", Ipv4Address.Read(frame.AsSpan(14 + 12)).ToString());
        if (answerProtocol == 1)
        {
            Assert.Equal((icmpType, icmpCode), (frame[34], frame[35]));
        }
    }

    [Fact]
    public void Answers_are_rate_limited_and_errors_are_not_answered()
    {
        var slowPath = new RecordingSlowPath();
        var handler = new FirewallSlowPath(() => 5);
        for (var i = 0; i < 20; i++)
        {
            handler.Handle(Punt(Packet(17)), slowPath);
        }
        Assert.InRange(slowPath.Sent.Count, 5, 6);
        Assert.Contains("rejectRateLimited", slowPath.Dropped);

        var error = Packet(1);
        error[34] = 3;
        new FirewallSlowPath(() => 0).Handle(Punt(error), slowPath);
        Assert.Contains("rejectNotAnswered", slowPath.Dropped);
    }

    private static PuntRecord Punt(byte[] frame) => new(6, 1, FirewallAbi.PuntReject, HookKind.Tc, frame.Length, new ulong[4], frame);

    /// <summary>10.0.0.2 → 192.0.2.80 with 28 bytes of <paramref name="protocol"/> (a TCP SYN, a UDP
    /// datagram, an ICMP echo request, or anything).</summary>
    private static byte[] Packet(byte protocol)
    {
        var frame = new byte[14 + 20 + 28];
        EthernetFrame.WriteHeader(frame, ServerMac, ClientMac, EthernetFrame.EthertypeIpv4);
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], 48);
        ip[8] = 64;
        ip[9] = protocol;
        new byte[] { 10, 0, 0, 2 }.CopyTo(ip[12..]);
        new byte[] { 192, 0, 2, 80 }.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Compute(ip[..20]));
        var l4 = ip[20..];
        switch (protocol)
        {
            case 6:
                l4[12] = 5 << 4;
                l4[13] = 0x02;
                break;
            case 1:
                l4[0] = 8;
                break;
        }
        return frame;
    }

    private sealed class RecordingSlowPath : ISlowPath
    {
        public List<(int Module, int Port, FrameDirection Direction, byte[] Frame)> Sent { get; } = [];

        public List<string> Dropped { get; } = [];

        public void Send(int module, int port, FrameDirection direction, ReadOnlySpan<byte> frame) => Sent.Add((module, port, direction, frame.ToArray()));

        public void Hold(int module, uint nextHop, int outPort, PuntRecord punt, HoldPolicy policy, INeighbourResolver resolver) =>
            throw new InvalidOperationException("the firewall holds nothing");

        public void Resolved(int module, uint nextHop) => throw new InvalidOperationException("the firewall resolves nothing");

        void ISlowPath.Dropped(int module, string reason) => Dropped.Add(reason);
    }
}
