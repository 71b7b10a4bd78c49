using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.IoModules.Gtp;

namespace IoVisor.Hover.Tests;

public sealed class GtpConfigTests
{
    private readonly GtpModuleType _gtp = new();

    [Fact]
    public void Defaults_drop_unmatched_and_malformed_messages_and_pass_other_traffic()
    {
        var config = _gtp.NormalizeConfig(null);
        Assert.Equal("""{"defaultAction":{"action":"drop"},"nonGtp":{"action":"pass"},"malformed":"drop"}""", config.ToJsonString());
    }

    [Fact]
    public void A_normalized_config_reads_back_the_same()
    {
        var config = _gtp.NormalizeConfig(JsonNode.Parse(
            """{"defaultAction":{"action":"forward","port":"p2"},"nonGtp":{"action":"forward","port":"p3"},"malformed":"pass"}""")!.AsObject());
        Assert.Equal(config.ToJsonString(), _gtp.NormalizeConfig(config).ToJsonString());
        var parsed = GtpModuleConfig.Parse(config);
        Assert.Equal(new GtpAction(GtpAction.Forward, "p2"), parsed.DefaultAction);
        Assert.True(parsed.MalformedPass);
    }

    [Fact]
    public void Ports_the_module_lacks_resolve_to_none_in_the_kernel_config()
    {
        var config = GtpModuleConfig.Parse(JsonNode.Parse(
            """{"defaultAction":{"action":"forward","port":"p2"},"nonGtp":{"action":"forward","port":"gone"}}""")!.AsObject());
        var kernel = config.ToKernel(name => name == "p2" ? 5 : null);
        Assert.Equal(GtpAbi.ActionForward, kernel.DefaultAction);
        Assert.Equal(5u, kernel.DefaultPort);
        Assert.Equal(GtpAbi.PortNone, kernel.NonGtpPort);
        Assert.Equal(0u, kernel.Flags);
    }

    [Theory]
    [InlineData("""{"defaultAction":{"action":"pass"}}""", "config.defaultAction.action")]
    [InlineData("""{"defaultAction":{"action":"forward"}}""", "config.defaultAction.port")]
    [InlineData("""{"defaultAction":{"action":"drop","port":"p1"}}""", "config.defaultAction.port")]
    [InlineData("""{"defaultAction":{"action":"punt","why":1}}""", "config.defaultAction.why")]
    [InlineData("""{"defaultAction":"drop"}""", "config.defaultAction")]
    [InlineData("""{"nonGtp":{"action":"punt"}}""", "config.nonGtp.action")]
    [InlineData("""{"nonGtp":{"action":"forward","port":7}}""", "config.nonGtp.port")]
    [InlineData("""{"malformed":"forward"}""", "config.malformed")]
    [InlineData("""{"default":{"action":"drop"}}""", "config.default")]
    public void Bad_config_names_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => _gtp.NormalizeConfig(JsonNode.Parse(json)!.AsObject()));
        Assert.Contains(e.Errors, x => x.Field == field);
    }

    [Theory]
    [InlineData("""{"mac":"01:00:5e:00:00:01"}""", "config.mac")]
    [InlineData("""{"mac":"00:00:00:00:00:00"}""", "config.mac")]
    [InlineData("""{"mac":"02:00:00:00:00"}""", "config.mac")]
    [InlineData("""{"vlan":10}""", "config.vlan")]
    public void Bad_port_config_names_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => _gtp.NormalizePortConfig(JsonNode.Parse(json)!.AsObject()));
        Assert.Contains(e.Errors, x => x.Field == field);
    }

    [Fact]
    public void A_port_is_plain_unless_it_names_a_next_hop_mac()
    {
        Assert.Equal("{}", _gtp.NormalizePortConfig(null).ToJsonString());
        Assert.Equal("""{"mac":"02:00:00:00:0a:01"}""", _gtp.NormalizePortConfig(JsonNode.Parse("""{"mac":"02:00:00:00:0A:01"}""")!.AsObject()).ToJsonString());
    }

    [Theory]
    [InlineData("v2 teid 0x1234 type 32", 2, 0x1234u, 32)]
    [InlineData("v1 teid 0x10 any", 1, 0x10u, null)]
    [InlineData("v2 teid none type 1", 2, null, 1)]
    [InlineData("v2 teid none any", 2, null, null)]
    [InlineData("v1 teid 0xffffffff type 255", 1, 0xffffffffu, 255)]
    public void Keys_round_trip(string key, int version, uint? teid, int? type)
    {
        Assert.True(GtpMatch.TryParse(key, out var match));
        Assert.Equal(new GtpMatch(version, teid, (byte?)type), match);
        Assert.Equal(key, match.ToString());
        Assert.Equal(match, GtpMatch.FromKernel(match.ToKernel()));
    }

    [Fact]
    public void Keys_are_read_in_decimal_or_hex_and_any_case()
    {
        Assert.True(GtpMatch.TryParse("V1 TEID 16 ANY", out var match));
        Assert.Equal("v1 teid 0x10 any", match.ToString());
    }

    [Theory]
    [InlineData("v1 teid none any")]
    [InlineData("v3 teid 0x1 any")]
    [InlineData("v1 teid 0x1 type 256")]
    [InlineData("v1 teid 0x100000000 any")]
    [InlineData("v1 teid 0x1")]
    [InlineData("v1 0x1 any")]
    [InlineData("")]
    public void Bad_keys_are_refused(string key) => Assert.False(GtpMatch.TryParse(key, out _));

    [Fact]
    public void A_message_without_a_teid_has_its_own_key_apart_from_teid_zero()
    {
        var none = new GtpMatch(2, null, 1).ToKernel();
        var zero = new GtpMatch(2, 0, 1).ToKernel();
        Assert.Equal(none.Teid, zero.Teid);
        Assert.NotEqual(none.Flags, zero.Flags);
        Assert.Equal(GtpAbi.KeyAnyType, new GtpMatch(1, 7, null).ToKernel().Flags);
    }

    [Theory]
    [InlineData("""{"teid":1,"action":"drop"}""", "version")]
    [InlineData("""{"version":3,"teid":1,"action":"drop"}""", "version")]
    [InlineData("""{"version":1,"action":"drop"}""", "teid")]
    [InlineData("""{"version":1,"teid":"none","action":"drop"}""", "teid")]
    [InlineData("""{"version":2,"teid":-1,"action":"drop"}""", "teid")]
    [InlineData("""{"version":2,"teid":4294967296,"action":"drop"}""", "teid")]
    [InlineData("""{"version":2,"teid":"12","action":"drop"}""", "teid")]
    [InlineData("""{"version":2,"teid":1,"messageType":256,"action":"drop"}""", "messageType")]
    [InlineData("""{"version":2,"teid":1,"messageType":"all","action":"drop"}""", "messageType")]
    public void Bad_matches_name_the_field(string json, string field)
    {
        var errors = new ConfigErrors();
        GtpMatch.Read(JsonNode.Parse(json)!.AsObject(), errors);
        Assert.Contains(errors.Items, x => x.Field == field);
    }

    [Fact]
    public void A_match_reads_hex_teids_and_shows_them_as_numbers()
    {
        var errors = new ConfigErrors();
        var match = GtpMatch.Read(JsonNode.Parse("""{"version":2,"teid":"0xCAFE","messageType":32}""")!.AsObject(), errors);
        Assert.False(errors.Any);
        var json = new JsonObject();
        match.WriteTo(json);
        Assert.Equal("""{"version":2,"teid":51966,"messageType":32}""", json.ToJsonString());
    }

    [Fact]
    public void A_match_takes_the_fields_an_entry_leaves_out_from_its_key()
    {
        var errors = new ConfigErrors();
        var key = new GtpMatch(2, null, 1);
        Assert.Equal(key, GtpMatch.Read(JsonNode.Parse("""{"action":"drop"}""")!.AsObject(), errors, key));
        Assert.Equal(new GtpMatch(2, 5, 1), GtpMatch.Read(JsonNode.Parse("""{"teid":5}""")!.AsObject(), errors, key));
        Assert.False(errors.Any);
    }
}
