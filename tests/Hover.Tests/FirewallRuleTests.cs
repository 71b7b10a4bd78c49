using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.IoModules.Firewall;

namespace IoVisor.Hover.Tests;

/// <summary>Firewall rules as users write them: what is accepted, how it reads back, and the field
/// named for every problem.</summary>
public sealed class FirewallRuleTests
{
    private const string Base = "\"priority\":100,\"direction\":\"ingress\",\"action\":\"allow\"";

    /// <summary>A rule with priority, direction and action, and <paramref name="rest"/> (",field":value...).</summary>
    private static string With(string rest) => "{" + Base + rest + "}";

    private static (FirewallRule? Rule, ConfigErrors Errors) Read(string json, string key = "given")
    {
        var errors = new ConfigErrors();
        return (FirewallRuleReader.Read(JsonNode.Parse(json)!.AsObject(), key, errors), errors);
    }

    [Fact]
    public void A_full_rule_reads_back_as_written()
    {
        const string json = """
            {"key":"web-in","name":"web servers","priority":1000,"direction":"egress","action":"allow-related","src":"10.0.0.0/8","dst":"192.0.2.7/32",
             "protocol":"tcp","sport":"1024-65535","dport":"80","tcpFlags":{"syn":true,"ack":false},"ctState":["new","established"]}
            """;
        var (rule, errors) = Read(json);
        Assert.False(errors.Any, string.Join("; ", errors.Items));
        Assert.Equal("web-in", rule!.Key);
        Assert.Equal(new TcpFlagMatch(0x02, 0x12), rule.TcpFlags);
        Assert.Equal(ConnectionStates.New | ConnectionStates.Established, rule.States);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), rule.ToJson()), rule.ToJson().ToJsonString());
        Assert.Equal(rule, FirewallRule.FromKernel(rule.ToKernel(7)));
    }

    [Fact]
    public void Shorthands_are_normalized_and_the_key_comes_from_the_path_when_the_body_has_none()
    {
        var (rule, _) = Read(With(""","src":"198.51.100.7","protocol":17,"dport":53"""), key: "rule-9");
        Assert.Equal("rule-9", rule!.Key);
        Assert.Equal("198.51.100.7/32", rule.Source.ToString());
        Assert.Equal("udp", (string?)rule.ToJson()["protocol"]);
        Assert.Equal("53", (string?)rule.ToJson()["dport"]);
        var (gre, _) = Read(With(""","protocol":47"""));
        Assert.Equal(47, (int?)gre!.ToJson()["protocol"]);
        // Omitted and "any" differ in how they read back, not in what they match.
        var (all, _) = Read(With(",\"src\":\"0.0.0.0/0\",\"sport\":\"0-65535\",\"protocol\":\"tcp\""));
        Assert.Equal(all, FirewallRule.FromKernel(all!.ToKernel(1)));
    }

    [Theory]
    [InlineData("""{"direction":"ingress","action":"allow"}""", "priority")]
    [InlineData("""{"priority":100,"action":"allow"}""", "direction")]
    [InlineData("""{"priority":100,"direction":"ingress"}""", "action")]
    [InlineData("""{"priority":32768,"direction":"ingress","action":"allow"}""", "priority")]
    [InlineData("""{"priority":-1,"direction":"ingress","action":"allow"}""", "priority")]
    [InlineData("""{"priority":100,"direction":"in","action":"allow"}""", "direction")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"accept"}""", "action")]
    [InlineData("""{"key":"a b","priority":100,"direction":"ingress","action":"allow"}""", "key")]
    [InlineData("""{"key":"0123456789012345678901234567890123456789012345678901234567890123","priority":1,"direction":"ingress","action":"allow"}""", "key")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","match":"ip4"}""", "match")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","src":"10.0.0.1/24"}""", "src")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","dst":"10.0.0.0/33"}""", "dst")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","dst":"10.0.0"}""", "dst")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"sctp"}""", "protocol")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":0}""", "protocol")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":256}""", "protocol")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","dport":80}""", "dport")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"icmp","sport":80}""", "sport")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"tcp","dport":"2000-1000"}""", "dport")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"tcp","dport":65536}""", "dport")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"tcp","dport":"80-"}""", "dport")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"tcp","icmpType":8}""", "icmpType")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"icmp","icmpCode":256}""", "icmpCode")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"udp","tcpFlags":{"syn":true}}""", "tcpFlags")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"tcp","tcpFlags":{"sin":true}}""", "tcpFlags.sin")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"tcp","tcpFlags":{"syn":1}}""", "tcpFlags.syn")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"tcp","tcpFlags":{}}""", "tcpFlags")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","ctState":["new","bogus"]}""", "ctState[1]")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","ctState":["new","new"]}""", "ctState[1]")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","ctState":[]}""", "ctState")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","name":7}""", "name")]
    [InlineData("""{"priority":100,"direction":"ingress","action":"allow","protocol":"tcp","sport":"1-65534","dport":"1-65534","ctState":["new","invalid"]}""", "dport")]
    public void Bad_input_names_the_field(string json, string field)
    {
        var (rule, errors) = Read(json);
        Assert.Null(rule);
        Assert.Contains(errors.Items, e => e.Field == field);
    }

    [Fact]
    public void Hits_are_accepted_and_ignored_so_that_a_listed_rule_can_be_put_back()
    {
        var (rule, errors) = Read(With(""","hits":{"packets":3,"bytes":180}"""));
        Assert.False(errors.Any);
        Assert.Null(rule!.ToJson()["hits"]);
    }

    [Theory]
    [InlineData(1000, 2000, "1000/13 1008/12 1024/7 1536/8 1792/9 1920/10 1984/12 2000/16")]
    [InlineData(0, 65535, "0/0")]
    [InlineData(80, 80, "80/16")]
    [InlineData(65535, 65535, "65535/16")]
    [InlineData(0, 1023, "0/6")]
    [InlineData(1, 65534, "1/16 2/15 4/14 8/13 16/12 32/11 64/10 128/9 256/8 512/7 1024/6 2048/5 4096/4 8192/3 16384/2 32768/2 49152/3 57344/4 61440/5 63488/6 64512/7 65024/8 65280/9 65408/10 65472/11 65504/12 65520/13 65528/14 65532/15 65534/16")]
    public void A_port_range_becomes_the_fewest_aligned_blocks(int first, int last, string blocks)
    {
        var actual = new PortRange((ushort)first, (ushort)last).Blocks()
            .Select(b => $"{b.Value}/{16 - System.Numerics.BitOperations.TrailingZeroCount(b.Mask | 0x10000)}");
        Assert.Equal(blocks, string.Join(' ', actual));
    }

    [Fact]
    public void The_blocks_of_any_range_cover_it_exactly()
    {
        var random = new Random(5);
        for (var i = 0; i < 200; i++)
        {
            var a = random.Next(65536);
            var b = random.Next(65536);
            var range = new PortRange((ushort)Math.Min(a, b), (ushort)Math.Max(a, b));
            var blocks = range.Blocks();
            Assert.True(blocks.Count <= 30, $"{range}: {blocks.Count} blocks");
            for (var port = 0; port < 65536; port += 1 + random.Next(64))
            {
                var covered = blocks.Count(b => (port & b.Mask) == b.Value);
                Assert.Equal(port >= range.First && port <= range.Last ? 1 : 0, covered);
            }
            Assert.Equal(1, blocks.Count(b => (range.First & b.Mask) == b.Value));
            Assert.Equal(1, blocks.Count(b => (range.Last & b.Mask) == b.Value));
        }
    }

    [Fact]
    public void Config_defaults_and_errors()
    {
        var config = FirewallConfig.Parse(null);
        Assert.Equal(RuleAction.Allow, config.DefaultAction);
        Assert.Equal(1000, config.RejectsPerSecond);
        Assert.Equal(FirewallConfig.MaxMaxRules, config.MaxRules);
        var small = FirewallConfig.Parse(new JsonObject { ["maxRules"] = 256 });
        Assert.Equal(256, small.MaxRules);
        // Two slots a rule (a set is replaced while the old one is in force), two generations a slot.
        Assert.Equal(512u, small.MapSizes()["fw_rules"]);
        Assert.Equal(512u, small.MapSizes()["fw_hits"]);
        Assert.Equal(1024u, small.MapSizes()["fw_live"]);
        // The classifier keys of both generations: 64 a rule, 65,536 a generation at most.
        Assert.Equal(32768u, small.MapSizes()["fw_keys"]);
        Assert.Equal(131072u, config.MapSizes()["fw_keys"]);
        Assert.Equal(RuleAction.Drop, FirewallConfig.Parse(new JsonObject { ["defaultAction"] = "drop" }).DefaultAction);
        foreach (var (json, field) in new[]
        {
            ("""{"defaultAction":"reject"}""", "config.defaultAction"),
            ("""{"conntrack":{"udp":0}}""", "config.conntrack.udp"),
            ("""{"rejectsPerSecond":-1}""", "config.rejectsPerSecond"),
            ("""{"maxRules":8}""", "config.maxRules"),
            ("""{"maxRules":16385}""", "config.maxRules"),
            ("""{"default":"drop"}""", "config.default"),
        })
        {
            var e = Assert.Throws<ConfigException>(() => FirewallConfig.Parse(JsonNode.Parse(json)!.AsObject()));
            Assert.Contains(e.Errors, x => x.Field == field);
        }
        Assert.Contains(Assert.Throws<ConfigException>(() => FirewallPortConfig.Parse(null)).Errors, x => x.Field == "config.role");
        Assert.True(FirewallPortConfig.Parse(new JsonObject { ["role"] = "inside" }).Inside);
    }
}
