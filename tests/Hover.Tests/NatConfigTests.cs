using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.IoModules.Nat;

namespace IoVisor.Hover.Tests;

public sealed class NatConfigTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static NatRule Rule(string json) => NatRuleReader.Read(Json(json));

    [Theory]
    [InlineData("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10"}""", "snat 10.0.1.0/24")]
    [InlineData("""{"type":"snat","logicalIp":"10.0.1.7","externalIp":"192.0.2.10-192.0.2.12"}""", "snat 10.0.1.7/32")]
    [InlineData("""{"type":"masquerade","logicalIp":"10.0.0.0/8"}""", "masquerade 10.0.0.0/8")]
    [InlineData("""{"type":"dnat","externalIp":"192.0.2.1","logicalIp":"10.0.1.5"}""", "dnat 192.0.2.1")]
    [InlineData("""{"type":"dnat","externalIp":"192.0.2.1","protocol":"udp","externalPort":53,"logicalIp":"10.0.1.5"}""", "dnat udp 192.0.2.1:53")]
    [InlineData("""{"type":"dnat_and_snat","externalIp":"192.0.2.20","logicalIp":"10.0.1.5"}""", "dnat_and_snat 192.0.2.20")]
    public void A_rule_has_a_canonical_key(string json, string key) => Assert.Equal(key, Rule(json).Key);

    [Fact]
    public void A_rule_reads_back_as_written_with_defaults_filled_in()
    {
        var snat = Rule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10-192.0.2.11"}""").ToJson();
        Assert.Equal("1024-65535", (string?)snat["externalPortRange"]);
        Assert.Equal("192.0.2.10-192.0.2.11", (string?)snat["externalIp"]);

        var forward = Rule("""{"type":"dnat","externalIp":"192.0.2.1","protocol":"tcp","externalPort":8080,"logicalIp":"10.0.1.5"}""");
        Assert.Equal(8080, forward.LogicalPort);
        Assert.Equal(forward, NatRuleReader.Read(forward.ToJson()));
    }

    [Fact]
    public void A_rule_id_depends_only_on_its_key()
    {
        var a = Rule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10"}""");
        var b = Rule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.99","externalPortRange":"2000-3000"}""");
        var c = Rule("""{"type":"snat","logicalIp":"10.0.2.0/24","externalIp":"192.0.2.10"}""");
        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, c.Id);
        Assert.NotEqual(0u, a.Id);
    }

    [Fact]
    public void External_addresses_are_those_answered_in_arp()
    {
        Assert.Equal(["192.0.2.10", "192.0.2.11", "192.0.2.12"],
            Rule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10-192.0.2.12"}""").ExternalAddresses.Select(a => a.ToString()));
        Assert.Empty(Rule("""{"type":"masquerade","logicalIp":"10.0.1.0/24"}""").ExternalAddresses);
    }

    [Theory]
    [InlineData("""{"logicalIp":"10.0.1.0/24"}""", "type")]
    [InlineData("""{"type":"nat64"}""", "type")]
    [InlineData("""{"type":"snat","externalIp":"192.0.2.10"}""", "logicalIp")]
    [InlineData("""{"type":"snat","logicalIp":"10.0.1.1/24","externalIp":"192.0.2.10"}""", "logicalIp")]
    [InlineData("""{"type":"snat","logicalIp":"10.0.1.0/24"}""", "externalIp")]
    [InlineData("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.20-192.0.2.10"}""", "externalIp")]
    [InlineData("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.0-192.0.3.0"}""", "externalIp")]
    [InlineData("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"224.0.0.1"}""", "externalIp")]
    [InlineData("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10","externalPortRange":"3000-2000"}""", "externalPortRange")]
    [InlineData("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10","externalPortRange":"0-2000"}""", "externalPortRange")]
    [InlineData("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10","protocol":"tcp"}""", "protocol")]
    [InlineData("""{"type":"masquerade","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10"}""", "externalIp")]
    [InlineData("""{"type":"dnat","externalIp":"192.0.2.1","logicalIp":"10.0.1.0/24"}""", "logicalIp")]
    [InlineData("""{"type":"dnat","externalIp":"192.0.2.1","logicalIp":"10.0.1.5","externalPort":80}""", "protocol")]
    [InlineData("""{"type":"dnat","externalIp":"192.0.2.1","logicalIp":"10.0.1.5","logicalPort":80}""", "protocol")]
    [InlineData("""{"type":"dnat","externalIp":"192.0.2.1","logicalIp":"10.0.1.5","protocol":"tcp"}""", "externalPort")]
    [InlineData("""{"type":"dnat","externalIp":"192.0.2.1","logicalIp":"10.0.1.5","protocol":"sctp","externalPort":80}""", "protocol")]
    [InlineData("""{"type":"dnat","externalIp":"192.0.2.1","logicalIp":"10.0.1.5","protocol":"tcp","externalPort":70000}""", "externalPort")]
    [InlineData("""{"type":"dnat","externalIp":"192.0.2.1","logicalIp":"10.0.1.5","externalPortRange":"1-2"}""", "externalPortRange")]
    [InlineData("""{"type":"dnat_and_snat","externalIp":"192.0.2.20","logicalIp":"10.0.1.5","protocol":"tcp","externalPort":80}""", "protocol")]
    [InlineData("""{"type":"dnat_and_snat","logicalIp":"10.0.1.5"}""", "externalIp")]
    [InlineData("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10","comment":"x"}""", "comment")]
    public void A_bad_rule_names_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => Rule(json));
        Assert.Contains(e.Errors, x => x.Field == field);
    }

    [Fact]
    public void Module_config_defaults_and_checks()
    {
        var type = new NatModuleType();
        var config = type.NormalizeConfig(null);
        Assert.Null(config["externalMac"]);
        Assert.Equal(7440, (long?)config["conntrack"]!["tcpEstablished"]);
        Assert.Equal(5, (long?)type.NormalizeConfig(Json("""{"conntrack":{"udp":5}}"""))["conntrack"]!["udp"]);

        Assert.Contains(Assert.Throws<ConfigException>(() => type.NormalizeConfig(Json("""{"externalMac":"01:00:00:00:00:01"}"""))).Errors,
            e => e.Field == "config.externalMac");
        Assert.Contains(Assert.Throws<ConfigException>(() => type.NormalizeConfig(Json("""{"conntrack":{"tcp":5}}"""))).Errors,
            e => e.Field == "config.conntrack.tcp");
        Assert.Contains(Assert.Throws<ConfigException>(() => type.NormalizeConfig(Json("""{"conntrack":{"udp":0}}"""))).Errors,
            e => e.Field == "config.conntrack.udp");
    }

    [Fact]
    public void The_connection_table_size_sizes_both_conntrack_maps_and_is_bounded()
    {
        var type = new NatModuleType();
        Assert.Equal(262_144, (long?)type.NormalizeConfig(null)["conntrack"]!["maxEntries"]);
        var sized = type.NormalizeConfig(Json("""{"conntrack":{"maxEntries":4096}}"""));
        Assert.Equal(new Dictionary<string, uint> { ["nat_ct"] = 4096, ["nat_ct_reply"] = 4096 }, type.MapSizesFor(sized));
        foreach (var bad in new[] { 1023, 4 * 1024 * 1024 + 1 })
        {
            Assert.Contains(Assert.Throws<ConfigException>(() => type.NormalizeConfig(Json($"{{\"conntrack\":{{\"maxEntries\":{bad}}}}}"))).Errors,
                e => e.Field == "config.conntrack.maxEntries");
        }
    }

    [Theory]
    [InlineData("{}", "config.role")]
    [InlineData("""{"role":"middle"}""", "config.role")]
    [InlineData("""{"role":"inside","address":"10.0.0.1"}""", "config.address")]
    [InlineData("""{"role":"outside","address":"10.0.0.1/24"}""", "config.address")]
    [InlineData("""{"role":"outside","mac":"02:00:00:00:00:01"}""", "config.mac")]
    public void A_bad_port_config_names_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => NatPortConfig.Parse(Json(json)));
        Assert.Contains(e.Errors, x => x.Field == field);
    }

    [Fact]
    public void Port_configs_normalize()
    {
        Assert.Equal("""{"role":"outside","address":"192.0.2.1"}""", NatPortConfig.Parse(Json("""{"role":"outside","address":"192.0.2.1"}""")).ToJson().ToJsonString());
        Assert.Equal("""{"role":"inside"}""", NatPortConfig.Parse(Json("""{"role":"inside"}""")).ToJson().ToJsonString());
    }
}
