using System.Buffers.Binary;
using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.IoModules.Router;

namespace IoVisor.Hover.Tests;

public sealed class RouterConfigTests
{
    private readonly RouterModuleType _router = new();

    [Fact]
    public void Defaults_fill_an_empty_config()
    {
        var config = _router.NormalizeConfig(null);
        Assert.Equal(300, config["arpAgingSeconds"]!.GetValue<long>());
        Assert.Equal(64, config["holdQueueLength"]!.GetValue<long>());
        Assert.Equal(3, config["arpRetries"]!.GetValue<long>());
        Assert.Equal(1000, config["arpRetryIntervalMs"]!.GetValue<long>());
    }

    [Fact]
    public void A_port_without_a_mac_gets_a_locally_administered_unicast_one()
    {
        var port = RouterPortConfig.Parse(JsonNode.Parse("""{"addresses":["10.0.0.1/24"]}""")!.AsObject());
        Assert.Equal(0x02UL, (port.Mac.Value >> 40) & 0x03);
        Assert.Equal("10.0.0.0/24", port.Addresses[0].Network.ToString());
    }

    [Theory]
    [InlineData("""{"addresses":["10.0.0.0/24"]}""", "config.addresses[0]")]
    [InlineData("""{"addresses":["10.0.0.255/24"]}""", "config.addresses[0]")]
    [InlineData("""{"addresses":["10.0.0.1/33"]}""", "config.addresses[0]")]
    [InlineData("""{"addresses":["10.0.0.1"]}""", "config.addresses[0]")]
    [InlineData("""{"addresses":["224.0.0.1/24"]}""", "config.addresses[0]")]
    [InlineData("""{"addresses":["10.0.0.1/24","10.0.0.2/16"]}""", "config.addresses[1]")]
    [InlineData("""{"addresses":"10.0.0.1/24"}""", "config.addresses")]
    [InlineData("""{"mac":"01:00:00:00:00:01"}""", "config.mac")]
    [InlineData("""{"ip":"10.0.0.1/24"}""", "config.ip")]
    public void Bad_port_config_names_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => RouterPortConfig.Parse(JsonNode.Parse(json)!.AsObject()));
        Assert.Contains(e.Errors, x => x.Field == field);
    }

    [Fact]
    public void A_slash_31_uses_both_addresses()
    {
        var port = RouterPortConfig.Parse(JsonNode.Parse("""{"addresses":["10.0.0.0/31"]}""")!.AsObject());
        Assert.Equal(31, port.Addresses[0].Length);
    }

    [Fact]
    public void The_source_address_is_the_one_on_the_peer_network()
    {
        var port = RouterPortConfig.Parse(JsonNode.Parse("""{"addresses":["10.0.0.1/24","10.9.0.1/24"]}""")!.AsObject());
        Ipv4Address.TryParse("10.9.0.77", out var peer);
        Ipv4Address.TryParse("192.0.2.1", out var stranger);
        Assert.Equal("10.9.0.1", port.SourceFor(peer).ToString());
        Assert.Equal("10.0.0.1", port.SourceFor(stranger).ToString());
    }

    [Theory]
    [InlineData("10.1.0.0/16", true)]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("10.1.2.3/32", true)]
    [InlineData("10.1.2.3/16", false)]
    [InlineData("10.1.0.0", false)]
    [InlineData("10.1.0.0/", false)]
    [InlineData("10.1.0/16", false)]
    [InlineData("10.1.0.0/-1", false)]
    [InlineData("300.1.0.0/16", false)]
    public void Prefixes_parse_strictly(string text, bool valid) =>
        Assert.Equal(valid, Ipv4Prefix.TryParse(text, out _, out _));

    [Fact]
    public void Kernel_order_is_network_order_in_memory()
    {
        Ipv4Address.TryParse("10.1.2.3", out var a);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, a.ToKernel());
        Assert.Equal(new byte[] { 10, 1, 2, 3 }, bytes.ToArray());
        Assert.Equal(a, Ipv4Address.FromKernel(a.ToKernel()));
    }
}
