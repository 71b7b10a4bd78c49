namespace IoVisor.IoModules.Firewall;

/// <summary>
/// A rule as classifier keys: every field it matches becomes a value under a mask (a prefix, a
/// protocol, an exact ICMP type, the TCP flags it names); port ranges become aligned blocks and a
/// set of connection states one key per state, so a rule is the cross product of its blocks and
/// states. Keys whose masks are equal share a tuple.
/// </summary>
public static class RuleExpansion
{
    /// <summary>The most keys one rule may become (two ranges of about 30 blocks each).</summary>
    public const int MaxEntriesPerRule = 1024;

    private const byte StateMask = (byte)ConnectionStates.All;

    public static int CountOf(FirewallRule rule) =>
        SourcePorts(rule).Count * DestinationPorts(rule).Count * States(rule).Count;

    public static IEnumerable<ClassifierEntry> Expand(FirewallRule rule)
    {
        var (src, srcMask) = Prefix(rule.Source);
        var (dst, dstMask) = Prefix(rule.Destination);
        var (proto, protoMask) = rule.Protocol is { } p ? (p, (byte)0xff) : ((byte)0, (byte)0);
        var flags = rule.TcpFlags ?? default;
        foreach (var (sport, sportMask) in SourcePorts(rule))
        {
            foreach (var (dport, dportMask) in DestinationPorts(rule))
            {
                foreach (var (state, stateMask) in States(rule))
                {
                    var mask = new MatchFields(protoMask, srcMask, dstMask, sportMask, dportMask, flags.Mask, stateMask);
                    var value = new MatchFields(proto, src, dst, sport, dport, flags.Value, state);
                    yield return new ClassifierEntry(mask, rule.Direction, value);
                }
            }
        }
    }

    private static (uint Value, uint Mask) Prefix(Ipv4Prefix? prefix) =>
        prefix is { } p ? (p.Network.Value, p.Mask) : (0u, 0u);

    private static IReadOnlyList<(ushort Value, ushort Mask)> SourcePorts(FirewallRule rule) =>
        Ports(rule.SourcePorts, rule.IcmpType);

    private static IReadOnlyList<(ushort Value, ushort Mask)> DestinationPorts(FirewallRule rule) =>
        Ports(rule.DestinationPorts, rule.IcmpCode);

    /// <summary>A port range's blocks, or the ICMP type (code) that sits in the same field.</summary>
    private static IReadOnlyList<(ushort Value, ushort Mask)> Ports(PortRange? range, byte? icmp) =>
        range is { } r ? r.Blocks() : icmp is { } i ? [(i, 0xffff)] : [(0, 0)];

    private static IReadOnlyList<(byte Value, byte Mask)> States(FirewallRule rule) =>
        rule.States is ConnectionStates.None or ConnectionStates.All
            ? [(0, 0)]
            : rule.States.Names().Select(n => ((byte)RuleTerms.ParseState(n), StateMask)).ToList();
}
