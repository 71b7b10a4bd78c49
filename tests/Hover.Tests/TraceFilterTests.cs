using IoVisor.Hover.Trace;
using IoVisor.IoModules;

namespace IoVisor.Hover.Tests;

public sealed class TraceFilterTests
{
    [Fact]
    public void An_empty_filter_traces_everything() =>
        Assert.Equal((1u, 0u), (TraceFilter.Compile(" ").Enabled, TraceFilter.Compile(null).Fields));

    [Fact]
    public void Clauses_combine_and_values_are_in_network_order()
    {
        var cfg = TraceFilter.Compile("ip.dst == 10.0.0.2 and tcp.dport == 80 && ip.src == 10.1.0.0/16");
        Assert.Equal(1u | 2u | 8u | 32u | 128u, cfg.Fields);
        Assert.Equal(new byte[] { 10, 0, 0, 2 }, BitConverter.GetBytes(cfg.Dst));
        Assert.Equal(uint.MaxValue, cfg.DstMask);
        Assert.Equal(new byte[] { 10, 1, 0, 0 }, BitConverter.GetBytes(cfg.Src));
        Assert.Equal(new byte[] { 255, 255, 0, 0 }, BitConverter.GetBytes(cfg.SrcMask));
        Assert.Equal(6, cfg.Proto);
        Assert.Equal(new byte[] { 0, 80 }, BitConverter.GetBytes(cfg.Dport));
    }

    [Theory]
    [InlineData("ip.dst = 10.0.0.1")]
    [InlineData("ip.dst == 10.0.0")]
    [InlineData("ip.dst == 10.0.0.1/8")]
    [InlineData("eth.src == 02:00:00:00:00:01")]
    [InlineData("tcp.port == 1 && udp.port == 2")]
    [InlineData("l4.port == 65536")]
    [InlineData("ip.proto == sctp")]
    public void Bad_filters_name_the_filter(string filter) =>
        Assert.Equal("filter", Assert.Throws<ConfigException>(() => TraceFilter.Compile(filter)).Errors[0].Field);

    [Fact]
    public void Summaries_read_like_tcpdump()
    {
        var frame = new byte[14 + 20 + 20];
        frame[12] = 0x08;
        frame[14] = 0x45;
        frame[14 + 8] = 63;
        frame[14 + 9] = 6;
        new Ipv4Address(0x0a000001).Write(frame.AsSpan(26));
        new Ipv4Address(0x0a000002).Write(frame.AsSpan(30));
        frame[34] = 0x9c;
        frame[35] = 0x40;
        frame[37] = 80;
        frame[34 + 13] = 0x12;
        Assert.Equal("tcp 10.0.0.1:40000 > 10.0.0.2:80 [S.] ttl 63", FrameSummary.Of(frame));
    }
}
