using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.IoModules.Bridge;

namespace IoVisor.Hover.Tests;

public sealed class BridgeConfigTests
{
    private readonly BridgeModuleType _bridge = new();

    [Fact]
    public void Defaults_fill_an_empty_config() =>
        Assert.Equal(300, _bridge.NormalizeConfig(null)["agingSeconds"]!.GetValue<long>());

    [Theory]
    [InlineData("""{"agingSeconds": -5}""", "config.agingSeconds")]
    [InlineData("""{"agingSeconds": "x"}""", "config.agingSeconds")]
    [InlineData("""{"aging": 5}""", "config.aging")]
    public void Bad_module_config_names_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => _bridge.NormalizeConfig(JsonNode.Parse(json)!.AsObject()));
        Assert.Contains(e.Errors, x => x.Field == field);
    }

    [Fact]
    public void A_default_port_is_access_vlan_1()
    {
        var port = BridgePortConfig.Parse(null);
        Assert.Equal((BridgeAbi.PortAccess, (ushort)1), (port.Mode, port.Pvid));
    }

    [Fact]
    public unsafe void A_trunk_port_sets_its_vlan_bits()
    {
        var port = BridgePortConfig.Parse(JsonNode.Parse("""{"mode":"trunk","vlans":[10,4094],"nativeVlan":1}""")!.AsObject());
        var kernel = port.ToKernel();
        Assert.Equal(BridgeAbi.PortTrunk, kernel.Mode);
        Assert.Equal(1, kernel.Pvid);
        Assert.Equal(1UL << 10, kernel.Vlans[0]);
        Assert.Equal(1UL << (4094 & 63), kernel.Vlans[4094 >> 6]);
    }

    [Fact]
    public void Normalized_port_config_parses_again_to_the_same() =>
        Assert.Equal(
            _bridge.NormalizePortConfig(JsonNode.Parse("""{"mode":"trunk","vlans":[20,10,10]}""")!.AsObject()).ToJsonString(),
            _bridge.NormalizePortConfig(_bridge.NormalizePortConfig(JsonNode.Parse("""{"mode":"trunk","vlans":[10,20]}""")!.AsObject())).ToJsonString());

    [Theory]
    [InlineData("""{"mode":"hybrid"}""", "config.mode")]
    [InlineData("""{"mode":"access","vlan":5000}""", "config.vlan")]
    [InlineData("""{"mode":"trunk"}""", "config.vlans")]
    [InlineData("""{"mode":"trunk","vlans":[0]}""", "config.vlans[0]")]
    [InlineData("""{"mode":"access","vlans":[10]}""", "config.mode")]
    public void Bad_port_config_names_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => BridgePortConfig.Parse(JsonNode.Parse(json)!.AsObject()));
        Assert.Contains(e.Errors, x => x.Field == field);
    }

    [Fact]
    public void A_trunk_port_cannot_face_a_module()
    {
        var trunk = _bridge.NormalizePortConfig(JsonNode.Parse("""{"mode":"trunk","vlans":[10]}""")!.AsObject());
        Assert.Throws<ConfigException>(() => _bridge.ValidatePeer(trunk, PeerKind.Module));
        _bridge.ValidatePeer(trunk, PeerKind.Netdev);
    }

    [Theory]
    [InlineData("02:00:00:00:00:01", true)]
    [InlineData("02-00-00-00-00-0a", true)]
    [InlineData("02:00:00:00:00", false)]
    [InlineData("zz:00:00:00:00:01", false)]
    public void Mac_addresses_parse_and_print(string text, bool valid)
    {
        Assert.Equal(valid, MacAddress.TryParse(text, out var mac));
        if (valid)
        {
            Assert.Equal(text.Replace('-', ':'), mac.ToString());
        }
    }
}
