namespace IoVisor.OvnBridge.Matching;

/// <summary>
/// OVN fields carry prerequisites (ovn-sb(5)): <c>tcp.dst == 80</c> means <c>tcp &amp;&amp; tcp.dst == 80</c>,
/// and <c>tcp.dst != 80</c> means <c>tcp &amp;&amp; !(tcp.dst == 80)</c>. Adding them before negations are
/// pushed down gives OVN's meaning to <c>!(tcp.dst == 80)</c>: "not TCP, or TCP to another port".
/// </summary>
internal static class Prerequisites
{
    private static readonly Dictionary<string, string> Of = new(StringComparer.Ordinal)
    {
        ["ip4.src"] = "ip4",
        ["ip4.dst"] = "ip4",
        ["tcp.src"] = "tcp",
        ["tcp.dst"] = "tcp",
        ["tcp.flags"] = "tcp",
        ["udp.src"] = "udp",
        ["udp.dst"] = "udp",
        ["icmp4.type"] = "icmp4",
        ["icmp4.code"] = "icmp4",
    };

    public static MatchExpr Annotate(MatchExpr expr) => expr switch
    {
        OrExpr o => new OrExpr(Annotate(o.Left), Annotate(o.Right)),
        AndExpr a => new AndExpr(Annotate(a.Left), Annotate(a.Right)),
        NotExpr n => new NotExpr(Annotate(n.Operand)),
        Comparison c => WithPrerequisite(c),
        _ => expr,
    };

    private static MatchExpr WithPrerequisite(Comparison c)
    {
        MatchExpr test = c.Op == Relop.NotEqual ? new NotExpr(c with { Op = Relop.Equal }) : c;
        return Of.TryGetValue(c.Field, out var prerequisite) ? new AndExpr(new FieldTest(prerequisite), test) : test;
    }
}
