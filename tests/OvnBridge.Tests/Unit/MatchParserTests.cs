using IoVisor.IoModules;
using IoVisor.OvnBridge.Matching;

namespace IoVisor.OvnBridge.Tests.Unit;

public sealed class MatchParserTests
{
    [Fact]
    public void And_binds_tighter_than_or_and_not_tightest()
    {
        var expr = MatchParser.Parse("ip4 || !tcp && udp");
        var or = Assert.IsType<OrExpr>(expr);
        Assert.Equal(new FieldTest("ip4"), or.Left);
        var and = Assert.IsType<AndExpr>(or.Right);
        Assert.Equal(new NotExpr(new FieldTest("tcp")), and.Left);
        Assert.Equal(new FieldTest("udp"), and.Right);
    }

    [Fact]
    public void Parentheses_group()
    {
        var and = Assert.IsType<AndExpr>(MatchParser.Parse("(ip4 || ip6) && tcp"));
        Assert.IsType<OrExpr>(and.Left);
    }

    [Theory]
    [InlineData("ip4.src == 10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("ip4.src == 10.0.0.0/255.0.0.0", "10.0.0.0/8")]
    [InlineData("ip4.src == 10.1.2.3", "10.1.2.3/32")]
    public void Addresses_and_networks_are_read_with_a_length_or_a_mask(string match, string prefix)
    {
        var c = Assert.IsType<Comparison>(MatchParser.Parse(match));
        Assert.Equal(prefix, Assert.IsType<Ipv4Value>(c.Value).Prefix.ToString());
    }

    [Fact]
    public void Values_are_integers_names_sets_and_references()
    {
        Assert.Equal(new IntegerValue(0x50), ((Comparison)MatchParser.Parse("tcp.dst == 0x50")).Value);
        Assert.Equal(new StringValue("vm 1"), ((Comparison)MatchParser.Parse("inport == \"vm 1\"")).Value);
        Assert.Equal(new AddressSetRef("as_1"), ((Comparison)MatchParser.Parse("ip4.src == $as_1")).Value);
        Assert.Equal(new PortGroupRef("pg.web"), ((Comparison)MatchParser.Parse("outport == @pg.web")).Value);
        var set = Assert.IsType<SetValue>(((Comparison)MatchParser.Parse("tcp.dst == {80, 443,}")).Value);
        Assert.Equal([new IntegerValue(80), new IntegerValue(443)], set.Items);
        Assert.IsType<MacValue>(((Comparison)MatchParser.Parse("eth.src == aa:bb:cc:dd:ee:ff")).Value);
        Assert.IsType<Ipv6Value>(((Comparison)MatchParser.Parse("ip6.src == fe80::1")).Value);
    }

    [Fact]
    public void A_chained_range_is_two_comparisons()
    {
        var and = Assert.IsType<AndExpr>(MatchParser.Parse("1000 <= tcp.dst <= 2000"));
        Assert.Equal(new Comparison("tcp.dst", Relop.GreaterOrEqual, new IntegerValue(1000)), and.Left);
        Assert.Equal(new Comparison("tcp.dst", Relop.LessOrEqual, new IntegerValue(2000)), and.Right);
    }

    [Fact]
    public void One_and_zero_are_constants()
    {
        Assert.Equal(new ConstantExpr(true), MatchParser.Parse("1"));
        Assert.Equal(new ConstantExpr(false), MatchParser.Parse("0"));
    }

    [Theory]
    [InlineData("(ip4", "expected ')'")]
    [InlineData("ip4 &&", "ends where an expression was expected")]
    [InlineData("tcp.dst == ", "expected a value")]
    [InlineData("ip4.src == 10.0.0.1/24", "host bits")]
    [InlineData("ip4.src == 10.0.0.0/255.0.255.0", "not a prefix")]
    [InlineData("ip4 # x", "unexpected '#'")]
    [InlineData("inport == \"open", "not closed")]
    [InlineData("5 < tcp.dst > 7", "a range")]
    public void Bad_matches_say_what_is_wrong_and_where(string match, string message)
    {
        var e = Assert.Throws<MatchSyntaxException>(() => MatchParser.Parse(match));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefix_sets_subtract_exactly()
    {
        var all = PrefixSet.All.Subtract(new PrefixSet([Prefix("10.0.0.0/8")]));
        Assert.Equal(8, all.Prefixes.Length);
        Assert.DoesNotContain(all.Prefixes, p => p.Contains(Address("10.1.2.3")));
        Assert.Contains(all.Prefixes, p => p.Contains(Address("11.0.0.1")));
        Assert.Equal(["10.0.0.0/24"], PrefixSet.Of([Prefix("10.0.0.0/24")]).Intersect(PrefixSet.Of([Prefix("10.0.0.0/8")])).Prefixes.Select(p => p.ToString()));
    }

    [Fact]
    public void Interval_sets_complement_and_intersect()
    {
        var notEighty = IntervalSet.Where(Relop.Equal, 80, 65535).Complement();
        Assert.Equal([(0, 79), (81, 65535)], notEighty.Intervals.ToArray());
        Assert.Equal([(1000, 2000)], IntervalSet.Where(Relop.GreaterOrEqual, 1000, 65535).Intersect(IntervalSet.Where(Relop.LessOrEqual, 2000, 65535)).Intervals.ToArray());
    }

    private static Ipv4Prefix Prefix(string text) => Ipv4Prefix.TryParse(text, out var p, out _) ? p : throw new ArgumentException(text);

    private static Ipv4Address Address(string text) => Ipv4Address.TryParse(text, out var a) ? a : throw new ArgumentException(text);
}
