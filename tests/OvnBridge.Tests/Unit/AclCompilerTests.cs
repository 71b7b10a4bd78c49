using IoVisor.IoModules;
using IoVisor.OvnBridge.Matching;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Tests.Unit;

public sealed class AclCompilerTests
{
    private static readonly HashSet<string> InWeb = ["web"];
    private static readonly HashSet<string> NoGroups = [];

    private readonly Sets sets = new();

    [Fact]
    public void A_to_lport_acl_on_a_port_group_is_an_ingress_rule_for_its_members_only()
    {
        var acl = Compile("to-lport", "outport == @web && ip4 && tcp.dst == 80", "allow-related");
        var rule = Assert.Single(acl.RulesFor("vm1", InWeb));
        Assert.Equal(RuleDirection.Ingress, rule.Direction);
        Assert.Equal(("tcp", (80, 80)), (rule.Protocol, rule.DestinationPort));
        Assert.Null(rule.Source);
        Assert.Empty(acl.RulesFor("vm2", NoGroups));
        Assert.Single(Compile("to-lport", "outport == \"vm2\" && ip4", "drop").RulesFor("vm2", NoGroups));
        Assert.Single(Compile("to-lport", "outport != @web", "drop").RulesFor("vm2", NoGroups));
    }

    [Fact]
    public void Or_and_sets_become_several_rules()
    {
        var rules = Compile("from-lport", "ip4.dst == {10.0.0.0/24, 10.0.1.0/24} && (tcp.dst == 80 || udp.dst == 53)", "allow").RulesFor("vm1", NoGroups).ToList();
        Assert.Equal(4, rules.Count);
        Assert.All(rules, r => Assert.Equal(RuleDirection.Egress, r.Direction));
        Assert.Equal(2, rules.Count(r => r.Protocol == "udp" && r.DestinationPort == (53, 53)));
        Assert.Equal(["10.0.0.0/24", "10.0.1.0/24"], rules.Where(r => r.Protocol == "tcp").Select(r => r.Destination.ToString()).Order());
    }

    [Fact]
    public void Ranges_and_negated_ports_become_port_ranges()
    {
        Assert.Equal((1000, 2000), Single("from-lport", "1000 <= tcp.dst <= 2000").DestinationPort);
        Assert.Equal((1024, 65535), Single("from-lport", "udp.src >= 1024").SourcePort);
        var notSsh = Compile("to-lport", "tcp && tcp.dst != 22", "allow").RulesFor("vm1", NoGroups).Select(r => r.DestinationPort).ToList();
        Assert.Equal([(0, 21), (23, 65535)], notSsh.Select(r => r!.Value));
    }

    [Fact]
    public void A_negated_network_is_its_complement()
    {
        var rules = Compile("to-lport", "ip4.src != 10.0.0.0/8", "drop").RulesFor("vm1", NoGroups).ToList();
        Assert.Equal(8, rules.Count);
        Assert.DoesNotContain(rules, r => r.Source!.Value.Contains(new Ipv4Address(0x0A000001)));
    }

    [Fact]
    public void Icmp_types_and_ct_states_are_matched()
    {
        var pings = Compile("to-lport", "icmp4.type == {0, 8}", "allow").RulesFor("vm1", NoGroups).ToList();
        Assert.Equal([0, 8], pings.Select(r => r.IcmpType!.Value));
        Assert.All(pings, r => Assert.Equal("icmp", r.Protocol));
        Assert.Equal(CtStates.Established, Single("to-lport", "ct.est && !ct.rel").States);
        Assert.Equal(CtStates.Established | CtStates.Related | CtStates.Invalid, Single("to-lport", "ip4 && !ct.new").States);
        Assert.Empty(Compile("to-lport", "ct.new && ct.est", "drop").RulesFor("vm1", NoGroups));
    }

    [Fact]
    public void Address_sets_and_port_group_address_sets_are_resolved()
    {
        sets.Add("allowed", "192.0.2.0/24", "198.51.100.7");
        var rules = Compile("to-lport", "ip4.src == $allowed", "allow").RulesFor("vm1", NoGroups).Select(r => r.Source.ToString()).ToList();
        Assert.Equal(["192.0.2.0/24", "198.51.100.7/32"], rules);
        Assert.Contains("names no address set", Compile("to-lport", "ip4.src == $nope", "allow").Error);
    }

    [Fact]
    public void Ipv6_parts_are_left_out_with_a_note()
    {
        var acl = Compile("to-lport", "ip4 || ip6", "allow");
        Assert.Single(acl.RulesFor("vm1", NoGroups));
        Assert.Contains(acl.Notes, n => n.Contains("IPv4 only", StringComparison.Ordinal));
        Assert.Empty(Compile("to-lport", "ip6", "drop").Conjunctions);
    }

    [Theory]
    [InlineData("to-lport", "eth.src == 00:00:00:00:00:01", "allow", "eth.src is not supported")]
    [InlineData("to-lport", "inport == @web", "allow", "inport is not known")]
    [InlineData("from-lport", "outport == \"vm1\"", "allow", "outport is not known")]
    [InlineData("to-lport", "ip4 && !tcp", "drop", "every IP protocol but some")]
    [InlineData("to-lport", "ip4", "pass", "the action pass is not supported")]
    [InlineData("to-lport", "tcp.dst == 0x50/0xfff0", "drop", "masked values are not supported")]
    [InlineData("to-lport", "ip4 &&", "drop", "the match cannot be translated")]
    [InlineData("to-lport", "!ct.trk", "drop", "!ct.trk never holds")]
    public void What_a_rule_cannot_express_is_an_error_naming_it(string direction, string match, string action, string error)
    {
        Assert.Contains(error, Compile(direction, match, action).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Constants_match_everything_or_nothing()
    {
        Assert.Equal(new FirewallRule(5, RuleDirection.Ingress, "drop", null, null, null, null, null, null, null, CtStates.All), Single("to-lport", "1", priority: 5, action: "drop"));
        Assert.Empty(Compile("to-lport", "0", "drop").Conjunctions);
    }

    [Fact]
    public void A_match_that_expands_too_far_is_refused()
    {
        sets.Add("many", [.. Enumerable.Range(0, 300).Select(i => $"10.0.{i / 256}.{i % 256}")]);
        Assert.Contains("more than 256 firewall rules", Compile("to-lport", "ip4.src == $many", "drop").Error);
    }

    [Fact]
    public void A_compiled_acl_is_reused_until_its_row_or_a_set_it_uses_changes()
    {
        var compiler = new AclCompiler();
        sets.Add("s", "10.0.0.0/8");
        var row = new Acl(Guid.NewGuid(), null, 100, "to-lport", "ip4.src == $s", "drop");
        var first = compiler.Compile(row, sets);
        compiler.EndPass();
        Assert.Same(first, compiler.Compile(row, sets));
        compiler.EndPass();
        sets.Add("s", "11.0.0.0/8");
        Assert.NotSame(first, compiler.Compile(row, sets));
        Assert.NotSame(first, compiler.Compile(row with { Priority = 101 }, sets));
    }

    private CompiledAcl Compile(string direction, string match, string action, int priority = 100) =>
        new AclCompiler().Compile(new Acl(Guid.NewGuid(), null, priority, direction, match, action), sets);

    private FirewallRule Single(string direction, string match, int priority = 100, string action = "allow")
    {
        var acl = Compile(direction, match, action, priority);
        Assert.Null(acl.Error);
        return Assert.Single(acl.RulesFor("vm1", NoGroups));
    }

    private sealed class Sets : IAddressSets
    {
        private readonly Dictionary<string, PrefixSet> sets = [];

        public void Add(string name, params string[] addresses) =>
            sets[name] = PrefixSet.Of(addresses.Select(a => Ipv4Prefix.TryParse(a.Contains('/', StringComparison.Ordinal) ? a : a + "/32", out var p, out _) ? p : default));

        public PrefixSet? Resolve(string name, out bool hasIpv6)
        {
            hasIpv6 = false;
            return sets.GetValueOrDefault(name);
        }
    }
}
