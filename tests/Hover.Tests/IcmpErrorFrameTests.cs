using System.Buffers.Binary;
using IoVisor.IoModules;

namespace IoVisor.Hover.Tests;

/// <summary>ICMP errors as RFC 792 and RFC 1812 want them, checked byte by byte.</summary>
public sealed class IcmpErrorFrameTests
{
    private static readonly MacAddress RouterMac = new(0x02_00_00_00_00_01);
    private static readonly MacAddress HostMac = new(0x02_00_00_00_00_02);

    [Fact]
    public void Time_exceeded_quotes_the_datagram_and_goes_back_to_the_sender()
    {
        var original = Udp(ttl: 1, payload: 100);
        Ipv4Address.TryParse("10.0.1.1", out var routerIp);
        var error = IcmpErrorFrame.Build(original, RouterMac, routerIp, IcmpErrorFrame.TimeExceeded, 0)!;

        Assert.Equal(HostMac, EthernetFrame.Destination(error));
        Assert.Equal(RouterMac, EthernetFrame.Source(error));
        var ip = error.AsSpan(14);
        Assert.Equal(0, InternetChecksum.Compute(ip[..20]));
        Assert.Equal(1, ip[9]);
        Assert.Equal("10.0.1.1", Ipv4Address.Read(ip[12..]).ToString());
        Assert.Equal("10.0.1.2", Ipv4Address.Read(ip[16..]).ToString());
        Assert.Equal(ip.Length, BinaryPrimitives.ReadUInt16BigEndian(ip[2..]));
        var icmp = ip[20..];
        Assert.Equal((11, 0), (icmp[0], icmp[1]));
        Assert.Equal(0, InternetChecksum.Compute(icmp));
        Assert.True(icmp[8..].SequenceEqual(original.AsSpan(14)), "the whole original datagram is quoted");
    }

    [Fact]
    public void Long_datagrams_are_quoted_up_to_576_bytes()
    {
        var error = IcmpErrorFrame.Build(Udp(ttl: 1, payload: 1400), RouterMac, new Ipv4Address(0x0a000101), 3, 1)!;
        Assert.Equal(576, error.Length - 14);
    }

    [Fact]
    public void No_error_about_an_error_a_fragment_or_a_broadcast()
    {
        var icmpError = Udp(ttl: 1, payload: 8);
        icmpError[14 + 9] = 1;
        icmpError[14 + 20] = 3;
        Assert.Null(IcmpErrorFrame.Build(icmpError, RouterMac, new Ipv4Address(1), 11, 0));

        var fragment = Udp(ttl: 1, payload: 8);
        BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(14 + 6), 0x0010);
        Assert.Null(IcmpErrorFrame.Build(fragment, RouterMac, new Ipv4Address(1), 11, 0));

        var broadcast = Udp(ttl: 1, payload: 8);
        broadcast.AsSpan(14 + 16, 4).Fill(0xff);
        Assert.Null(IcmpErrorFrame.Build(broadcast, RouterMac, new Ipv4Address(1), 11, 0));
    }

    [Fact]
    public void Arp_requests_ask_for_the_target_from_the_sender()
    {
        var request = ArpFrame.Request(RouterMac, new Ipv4Address(0x0a000101), new Ipv4Address(0x0a000102));
        Assert.Equal(new MacAddress(0xffff_ffff_ffff), EthernetFrame.Destination(request));
        Assert.Equal(EthernetFrame.EthertypeArp, EthernetFrame.Ethertype(request));
        var arp = request.AsSpan(14);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(arp[6..]));
        Assert.Equal(RouterMac, MacAddress.FromBytes(arp[8..]));
        Assert.Equal("10.0.1.1", Ipv4Address.Read(arp[14..]).ToString());
        Assert.Equal("10.0.1.2", Ipv4Address.Read(arp[24..]).ToString());
    }

    private static byte[] Udp(byte ttl, int payload)
    {
        var frame = new byte[14 + 20 + 8 + payload];
        EthernetFrame.WriteHeader(frame, RouterMac, HostMac, EthernetFrame.EthertypeIpv4);
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + payload));
        ip[8] = ttl;
        ip[9] = 17;
        new Ipv4Address(0x0a000102).Write(ip[12..]);
        new Ipv4Address(0x0a000202).Write(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Compute(ip[..20]));
        return frame;
    }
}
