using System.Collections.Immutable;
using IoVisor.IoModules;

namespace IoVisor.OvnBridge.Matching;

/// <summary>
/// Turns one conjunction into firewall rules: each literal narrows what the conjunction admits
/// (protocols, source and destination networks, port and ICMP ranges, conntrack states, the
/// protected port), negated literals by complement; what is left is expanded into rules, one per
/// combination of protocol, networks and ranges. A conjunction only IPv6 or non-IP traffic can
/// match gives no rule and a note (the firewall sees IPv4 only). Throws
/// <see cref="MatchSyntaxException"/> for what a rule cannot express.
/// </summary>
internal sealed class ConjunctionCompiler
{
    public const int MaxRules = 256;

    private const int PortMax = 65535;
    private const int IcmpMax = 255;

    private readonly IAddressSets sets;
    private readonly string portField;
    private readonly string otherPortField;
    private readonly List<string> notes;

    private Protocols protocols = Protocols.All;
    private PrefixSet source = PrefixSet.All;
    private PrefixSet destination = PrefixSet.All;
    private IntervalSet sourcePorts = IntervalSet.All(PortMax);
    private IntervalSet destinationPorts = IntervalSet.All(PortMax);
    private IntervalSet icmpTypes = IntervalSet.All(IcmpMax);
    private IntervalSet icmpCodes = IntervalSet.All(IcmpMax);
    private CtStates states = CtStates.All;
    private readonly List<PortCondition> conditions = [];

    public ConjunctionCompiler(RuleDirection direction, IAddressSets sets, List<string> notes)
    {
        this.sets = sets;
        this.notes = notes;
        (portField, otherPortField) = direction == RuleDirection.Egress ? ("inport", "outport") : ("outport", "inport");
    }

    [Flags]
    private enum Protocols
    {
        None = 0,
        Tcp = 1,
        Udp = 2,
        Icmp = 4,
        Other = 8,
        All = Tcp | Udp | Icmp | Other,
    }

    /// <summary>The conjunction's rules, or null when it can match no IPv4 packet.</summary>
    public CompiledConjunction? Compile(ImmutableArray<Literal> literals, int priority, RuleDirection direction, string action)
    {
        foreach (var literal in literals)
        {
            if (!Apply(literal))
            {
                return null;
            }
        }
        if (protocols == Protocols.None || source.IsEmpty || destination.IsEmpty || sourcePorts.IsEmpty || destinationPorts.IsEmpty
            || icmpTypes.IsEmpty || icmpCodes.IsEmpty || states == CtStates.None)
        {
            return null;
        }
        return new CompiledConjunction([.. conditions], [.. Expand(priority, direction, action)]);
    }

    /// <summary>Narrows by one literal; false when the conjunction can only match what the
    /// firewall does not see (IPv6, non-IP).</summary>
    private bool Apply(Literal literal)
    {
        var field = literal.Field;
        switch (field)
        {
            case "ip4" or "ip":
                return NotIpv4Only(literal.Negated, "non-IPv4 traffic");
            case "ip6" or "icmp6":
                return literal.Negated || NotIpv4Only(negated: true, "IPv6 traffic");
            case "tcp":
                Narrow(Protocols.Tcp, literal.Negated);
                return true;
            case "udp":
                Narrow(Protocols.Udp, literal.Negated);
                return true;
            case "icmp4" or "icmp":
                Narrow(Protocols.Icmp, literal.Negated);
                return true;
            case "ct.new" or "ct.est" or "ct.rel" or "ct.inv" or "ct.trk" or "ct.rpl":
                ApplyCt(literal);
                return true;
            case "ip4.src":
                source = Narrow(source, Addresses(literal), literal.Negated);
                return true;
            case "ip4.dst":
                destination = Narrow(destination, Addresses(literal), literal.Negated);
                return true;
            case "tcp.src" or "udp.src":
                Narrow(field[0] == 't' ? Protocols.Tcp : Protocols.Udp, negated: false);
                sourcePorts = Narrow(sourcePorts, Integers(literal, PortMax), literal.Negated);
                return true;
            case "tcp.dst" or "udp.dst":
                Narrow(field[0] == 't' ? Protocols.Tcp : Protocols.Udp, negated: false);
                destinationPorts = Narrow(destinationPorts, Integers(literal, PortMax), literal.Negated);
                return true;
            case "icmp4.type":
                Narrow(Protocols.Icmp, negated: false);
                icmpTypes = Narrow(icmpTypes, Integers(literal, IcmpMax), literal.Negated);
                return true;
            case "icmp4.code":
                Narrow(Protocols.Icmp, negated: false);
                icmpCodes = Narrow(icmpCodes, Integers(literal, IcmpMax), literal.Negated);
                return true;
        }
        if (field == portField)
        {
            conditions.Add(PortCondition(literal));
            return true;
        }
        if (field == otherPortField)
        {
            throw new MatchSyntaxException(
                $"{field} is not known where this ACL is enforced (the firewall at the {portField} sees traffic, not the other logical port)");
        }
        throw new MatchSyntaxException($"the field {field} is not supported (the firewall matches IPv4 addresses, TCP/UDP ports, ICMP type and code, ct states)");
    }

    private bool NotIpv4Only(bool negated, string what)
    {
        if (!negated)
        {
            return true;
        }
        Note($"the part that matches {what} is not enforced: the firewall sees IPv4 only");
        return false;
    }

    private void Narrow(Protocols protocol, bool negated) => protocols = negated ? protocols & ~protocol : protocols & protocol;

    private static PrefixSet Narrow(PrefixSet current, PrefixSet values, bool negated) =>
        negated ? current.Subtract(values) : current.Intersect(values);

    private static IntervalSet Narrow(IntervalSet current, IntervalSet values, bool negated) =>
        current.Intersect(negated ? values.Complement() : values);

    /// <summary>The firewall tracks every IPv4 packet, so ct.trk always holds; a packet is in one
    /// of new, established, related and invalid.</summary>
    private void ApplyCt(Literal literal)
    {
        if (literal.Atom is not FieldTest)
        {
            throw new MatchSyntaxException($"{literal.Field} is a flag: use it alone or with !");
        }
        var state = literal.Field switch
        {
            "ct.new" => CtStates.New,
            "ct.est" => CtStates.Established,
            "ct.rel" => CtStates.Related,
            "ct.inv" => CtStates.Invalid,
            "ct.trk" when !literal.Negated => CtStates.All,
            "ct.trk" => throw new MatchSyntaxException("!ct.trk never holds: the firewall tracks every IPv4 packet"),
            _ => throw new MatchSyntaxException($"{literal.Field} is not supported (ct.new, ct.est, ct.rel, ct.inv and ct.trk are)"),
        };
        states = literal.Negated ? states & ~state : states & state;
    }

    private PrefixSet Addresses(Literal literal)
    {
        var comparison = Comparison(literal);
        if (comparison.Op != Relop.Equal)
        {
            throw new MatchSyntaxException($"{comparison.Field} can only be compared with == or != (an address, network or set)");
        }
        return PrefixSet.Of(Flatten(comparison.Value).SelectMany(v => AddressesOf(comparison.Field, v)));
    }

    private IEnumerable<Ipv4Prefix> AddressesOf(string field, MatchValue value)
    {
        switch (value)
        {
            case Ipv4Value ip:
                return [ip.Prefix];
            case Ipv6Value:
                Note("IPv6 addresses are left out: the firewall sees IPv4 only");
                return [];
            case AddressSetRef set:
                var resolved = sets.Resolve(set.Name, out var hasIpv6)
                    ?? throw new MatchSyntaxException($"${set.Name} names no address set or port group");
                if (hasIpv6)
                {
                    Note($"the IPv6 members of ${set.Name} are left out: the firewall sees IPv4 only");
                }
                return resolved.Prefixes;
            default:
                throw new MatchSyntaxException($"{field} cannot be compared with {Describe(value)}");
        }
    }

    private static IntervalSet Integers(Literal literal, int max)
    {
        var comparison = Comparison(literal);
        var values = Flatten(comparison.Value).ToList();
        if (comparison.Op != Relop.Equal && values.Count != 1)
        {
            throw new MatchSyntaxException($"{comparison.Field} cannot be ordered against a set");
        }
        return IntervalSet.Union(max, values.Select(v => v switch
        {
            IntegerValue i when i.Value <= max => IntervalSet.Where(comparison.Op, i.Value, max),
            IntegerValue i => throw new MatchSyntaxException($"{comparison.Field} is at most {max}, not {i.Value}"),
            MaskedValue m => throw new MatchSyntaxException($"{comparison.Field} == {m.Text}: masked values are not supported; use a range (a <= f <= b)"),
            _ => throw new MatchSyntaxException($"{comparison.Field} cannot be compared with {Describe(v)}"),
        }));
    }

    private PortCondition PortCondition(Literal literal)
    {
        var comparison = Comparison(literal);
        if (comparison.Op != Relop.Equal)
        {
            throw new MatchSyntaxException($"{comparison.Field} can only be compared with == or !=");
        }
        var ports = ImmutableArray.CreateBuilder<string>();
        var groups = ImmutableArray.CreateBuilder<string>();
        foreach (var value in Flatten(comparison.Value))
        {
            switch (value)
            {
                case StringValue s:
                    ports.Add(s.Value);
                    break;
                case PortGroupRef g:
                    groups.Add(g.Name);
                    break;
                default:
                    throw new MatchSyntaxException($"{comparison.Field} takes port names and @port_groups, not {Describe(value)}");
            }
        }
        return new PortCondition(literal.Negated, ports.ToImmutable(), groups.ToImmutable());
    }

    private IEnumerable<FirewallRule> Expand(int priority, RuleDirection direction, string action)
    {
        var rules = new List<FirewallRule>();
        foreach (var protocol in ProtocolChoices())
        {
            var ports = protocol is "tcp" or "udp";
            var icmp = protocol == "icmp";
            foreach (var src in Choices(source))
            {
                foreach (var dst in Choices(destination))
                {
                    foreach (var sport in ports ? Choices(sourcePorts) : [null])
                    {
                        foreach (var dport in ports ? Choices(destinationPorts) : [null])
                        {
                            foreach (var type in icmp ? Values(icmpTypes) : [null])
                            {
                                foreach (var code in icmp ? Values(icmpCodes) : [null])
                                {
                                    rules.Add(new FirewallRule(priority, direction, action, src, dst, protocol, sport, dport, type, code, states));
                                    if (rules.Count > MaxRules)
                                    {
                                        throw new MatchSyntaxException($"the match expands to more than {MaxRules} firewall rules");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return rules;
    }

    private IEnumerable<string?> ProtocolChoices()
    {
        if (protocols == Protocols.All)
        {
            return [null];
        }
        if (protocols.HasFlag(Protocols.Other))
        {
            throw new MatchSyntaxException("the match admits every IP protocol but some (a negated tcp, udp or icmp4): a rule names one protocol or all");
        }
        var choices = new List<string?>();
        if (protocols.HasFlag(Protocols.Tcp))
        {
            choices.Add("tcp");
        }
        if (protocols.HasFlag(Protocols.Udp))
        {
            choices.Add("udp");
        }
        if (protocols.HasFlag(Protocols.Icmp))
        {
            choices.Add("icmp");
        }
        return choices;
    }

    private static IEnumerable<Ipv4Prefix?> Choices(PrefixSet set) =>
        set.IsAll ? [null] : set.Prefixes.Select(p => (Ipv4Prefix?)p);

    private static IEnumerable<(int, int)?> Choices(IntervalSet set) =>
        set.IsAll ? [null] : set.Intervals.Select(i => ((int, int)?)i);

    private static IEnumerable<int?> Values(IntervalSet set)
    {
        if (set.IsAll)
        {
            return [null];
        }
        if (set.Count > MaxRules)
        {
            throw new MatchSyntaxException($"the match admits {set.Count} ICMP values, each a rule of its own");
        }
        return set.Intervals.SelectMany(i => Enumerable.Range(i.Low, i.High - i.Low + 1)).Select(v => (int?)v);
    }

    private static Comparison Comparison(Literal literal) =>
        literal.Atom as Comparison ?? throw new MatchSyntaxException($"{literal.Field} needs a comparison (== value)");

    private static IEnumerable<MatchValue> Flatten(MatchValue value) => value is SetValue set ? set.Items : [value];

    private static string Describe(MatchValue value) => value switch
    {
        IntegerValue i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Ipv4Value ip => ip.Prefix.ToString(),
        Ipv6Value ip => ip.Text,
        MacValue m => m.Mac.ToString(),
        StringValue s => $"\"{s.Value}\"",
        AddressSetRef a => "$" + a.Name,
        PortGroupRef p => "@" + p.Name,
        MaskedValue m => m.Text,
        _ => value.ToString() ?? "",
    };

    private void Note(string note)
    {
        if (!notes.Contains(note))
        {
            notes.Add(note);
        }
    }
}
