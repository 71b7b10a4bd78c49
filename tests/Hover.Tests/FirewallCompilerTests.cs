using IoVisor.IoModules;
using IoVisor.IoModules.Firewall;

namespace IoVisor.Hover.Tests;

/// <summary>
/// The rule compiler (tuple space) against a plain reference: every rule checked against every
/// packet, the highest rank wins. The compiled side is searched the way firewall.c does it: tuples
/// highest rank first, the packet's fields under each tuple's masks, one lookup, stop once no tuple
/// left can win. The kernel itself is checked by the datapath tests.
/// </summary>
public sealed class FirewallCompilerTests
{
    private const byte Tcp = 6, Udp = 17, Icmp = 1;

    /// <summary>A packet as the classifier sees it.</summary>
    private readonly record struct Packet(RuleDirection Direction, MatchFields Fields);

    /// <summary>A rule flattened for a fast linear scan: every field a value and a mask or a range.</summary>
    private readonly record struct Flat(uint Src, uint SrcMask, uint Dst, uint DstMask, byte Proto, byte ProtoMask,
        int SportLo, int SportHi, int DportLo, int DportHi, byte Flags, byte FlagsMask, byte States, uint Rank, RuleAction Action)
    {
        public static Flat Of(FirewallRule r) => new(
            r.Source?.Network.Value ?? 0, r.Source?.Mask ?? 0, r.Destination?.Network.Value ?? 0, r.Destination?.Mask ?? 0,
            r.Protocol ?? 0, r.Protocol is null ? (byte)0 : (byte)0xff,
            r.SourcePorts?.First ?? r.IcmpType ?? 0, r.SourcePorts?.Last ?? r.IcmpType ?? 65535,
            r.DestinationPorts?.First ?? r.IcmpCode ?? 0, r.DestinationPorts?.Last ?? r.IcmpCode ?? 65535,
            r.TcpFlags?.Value ?? 0, r.TcpFlags?.Mask ?? 0, r.States == ConnectionStates.None ? (byte)ConnectionStates.All : (byte)r.States,
            r.Rank, r.Action);

        public bool Matches(in MatchFields f) =>
            (f.Source & SrcMask) == Src && (f.Destination & DstMask) == Dst && (f.Proto & ProtoMask) == Proto
            && f.SourcePort >= SportLo && f.SourcePort <= SportHi && f.DestinationPort >= DportLo && f.DestinationPort <= DportHi
            && (f.TcpFlags & FlagsMask) == Flags && (States & f.State) != 0;
    }

    /// <summary>Every rule of the packet's direction checked; the highest rank wins.</summary>
    private static (uint Rank, RuleAction Action)? Reference(Flat[] rules, Packet p)
    {
        var best = -1;
        for (var i = 0; i < rules.Length; i++)
        {
            ref readonly var r = ref rules[i];
            if (r.Matches(p.Fields) && (best < 0 || r.Rank > rules[best].Rank))
            {
                best = i;
            }
        }
        return best < 0 ? null : (rules[best].Rank, rules[best].Action);
    }

    private static (uint Rank, RuleAction Action)? Best((uint Rank, RuleAction Action)? a, (uint Rank, RuleAction Action)? b) =>
        a is null ? b : b is null ? a : a.Value.Rank >= b.Value.Rank ? a : b;

    private static (uint Rank, RuleAction Action)? Compiled(TupleSpace image, IReadOnlyList<TupleInfo> order, Packet p)
    {
        Contender? best = null;
        foreach (var tuple in order)
        {
            if (best is { } b && tuple.MaxRank <= b.Rank)
            {
                break;
            }
            if (image.BestOf(new ClassifierEntry(tuple.Mask, p.Direction, p.Fields.Under(tuple.Mask))) is { } c && (best is null || c.Rank > best.Value.Rank))
            {
                best = c;
            }
        }
        return best is { } found ? (found.Rank, found.Action) : null;
    }

    private static TupleSpace Compile(IEnumerable<FirewallRule> rules) =>
        TupleSpace.Empty.With(rules.Select((r, i) => new InstalledRule(r, i, (uint)i + 1)), [], new HashSet<ClassifierEntry>());

    private static FirewallRule Rule(string key, int priority, RuleAction action = RuleAction.Allow, RuleDirection direction = RuleDirection.Ingress) =>
        new(key, null, priority, direction, action);

    private static Ipv4Prefix Prefix(string text) => Ipv4Prefix.TryParse(text, out var p, out _) ? p : throw new ArgumentException(text);

    [Fact]
    public void Rules_with_the_same_masks_share_a_tuple_and_ranges_spread_over_several()
    {
        var image = Compile(
        [
            Rule("a", 10) with { Source = Prefix("10.0.0.0/24"), Protocol = Tcp, DestinationPorts = new PortRange(80, 80) },
            Rule("b", 20) with { Source = Prefix("10.9.9.0/24"), Protocol = Udp, DestinationPorts = new PortRange(53, 53) },
            Rule("c", 30, direction: RuleDirection.Egress) with { Source = Prefix("192.0.2.0/24"), Protocol = Tcp, DestinationPorts = new PortRange(443, 443) },
            Rule("d", 40) with { Source = Prefix("10.0.0.0/16"), Protocol = Tcp, DestinationPorts = new PortRange(80, 80) },
            Rule("e", 50) with { Protocol = Tcp, DestinationPorts = new PortRange(1000, 2000) },
            Rule("f", 60) with { States = ConnectionStates.New | ConnectionStates.Invalid },
        ]);
        // a, b, c: one tuple (/24, proto, exact dport); d: /16; e: 8 blocks of 1000-2000 in 7 masks
        // (1008-1023 and 1984-1999 are both /12); f: the state bits.
        Assert.Equal(1 + 1 + 7 + 1, image.TupleCount);
        Assert.Equal(3 + 1 + 8 + 2, image.KeyCount);
        var order = image.SearchOrder();
        Assert.True(order.Zip(order.Skip(1)).All(p => p.First.MaxRank >= p.Second.MaxRank), "tuples not highest rank first");
        Assert.Equal(((uint)60 << 8) | 1, order[0].MaxRank);
    }

    [Fact]
    public void Rules_sharing_a_key_keep_the_best_and_the_next_takes_over_when_it_leaves()
    {
        var low = new InstalledRule(Rule("low", 10) with { Protocol = Tcp }, 0, 1);
        var high = new InstalledRule(Rule("high", 20, RuleAction.Drop) with { Protocol = Tcp }, 1, 2);
        var tie = new InstalledRule(Rule("tie", 20, RuleAction.Allow) with { Protocol = Tcp }, 2, 3);
        var touched = new HashSet<ClassifierEntry>();
        var image = TupleSpace.Empty.With([low, high, tie], [], touched);
        var entry = Assert.Single(touched);
        Assert.Equal(high.Contender, image.BestOf(entry));
        var tupleId = image.TupleOf(entry.Mask);

        var without = image.With([], [high], touched);
        Assert.Equal(tie.Contender, without.BestOf(entry));
        Assert.Equal(tupleId, without.TupleOf(entry.Mask));
        var empty = without.With([], [low, tie], touched);
        Assert.Equal(0, empty.TupleCount);
        Assert.Null(empty.BestOf(entry));
        // The old image is untouched: a refused change leaves nothing behind.
        Assert.Equal(high.Contender, image.BestOf(entry));
    }

    [Fact]
    public void Ten_thousand_random_rules_classify_a_hundred_thousand_packets_as_the_reference_does()
    {
        var random = new Random(42);
        var rules = Enumerable.Range(0, 10_000).Select(i => RandomRule(random, i)).ToList();
        var image = Compile(rules);
        Assert.InRange(image.TupleCount, 1, FirewallAbi.MaxTuples);

        // Only the rules that can match a packet's direction and protocol are scanned, all of them.
        var candidates = rules.GroupBy(r => (r.Direction, r.Protocol ?? 0)).ToDictionary(g => g.Key, g => g.Select(Flat.Of).ToArray());
        var order = image.SearchOrder();
        var matched = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var packet = RandomPacket(random);
            var expected = Best(
                Reference(candidates.GetValueOrDefault((packet.Direction, (byte)0), []), packet),
                Reference(candidates.GetValueOrDefault((packet.Direction, packet.Fields.Proto), []), packet));
            Assert.Equal(expected, Compiled(image, order, packet));
            matched += expected is null ? 0 : 1;
        }
        Assert.True(matched > 20_000, $"only {matched} of 100,000 packets matched a rule: the test says little");
    }

    [Fact]
    public void Changing_a_compiled_set_step_by_step_ends_where_compiling_the_result_does()
    {
        var random = new Random(7);
        var installed = new Dictionary<string, InstalledRule>();
        var image = TupleSpace.Empty;
        var serial = 0u;
        for (var step = 0; step < 300; step++)
        {
            var removed = installed.Values.Where(_ => random.Next(4) == 0).ToList();
            var added = Enumerable.Range(0, random.Next(1, 40))
                .Select(_ => new InstalledRule(RandomRule(random, (int)serial), (int)serial, ++serial))
                .ToList();
            image = image.With(added, removed, new HashSet<ClassifierEntry>());
            foreach (var r in removed)
            {
                installed.Remove(r.Rule.Key);
            }
            foreach (var r in added)
            {
                installed[r.Rule.Key] = r;
            }
        }
        var fresh = TupleSpace.Empty.With(installed.Values, [], new HashSet<ClassifierEntry>());
        Assert.Equal(fresh.KeyCount, image.KeyCount);
        Assert.Equal(fresh.TupleCount, image.TupleCount);
        foreach (var (entry, best) in fresh.Keys())
        {
            Assert.Equal(best, image.BestOf(entry));
        }
        var ids = image.SearchOrder().Select(t => t.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    /// <summary>Nine shapes (fifteen tuples); values from small pools so that packets hit rules, and
    /// priorities from a narrow range so that ties are common.</summary>
    private static FirewallRule RandomRule(Random random, int i)
    {
        var rule = Rule($"r{i}", random.Next(0, 50), (RuleAction)random.Next(1, 5), random.Next(2) == 0 ? RuleDirection.Ingress : RuleDirection.Egress);
        var states = new[] { ConnectionStates.New, ConnectionStates.New | ConnectionStates.Established, ConnectionStates.Invalid, ConnectionStates.Related | ConnectionStates.Established };
        return (i % 9) switch
        {
            0 => rule with { Source = Host(random, 32), Protocol = Tcp, DestinationPorts = Port(random) },
            1 => rule with { Source = Host(random, 24), Protocol = Tcp, DestinationPorts = new PortRange(1000, 1999) },
            2 => rule with { Destination = Host(random, 16), Protocol = Udp, SourcePorts = Port(random) },
            3 => rule with { Source = Host(random, 8), Protocol = Icmp, IcmpType = (byte)random.Next(0, 4), IcmpCode = (byte)random.Next(0, 2) },
            4 => rule with { Destination = Host(random, 32), Protocol = Tcp, TcpFlags = new TcpFlagMatch(0x02, 0x12) },
            5 => rule with { Source = Host(random, 24), Destination = Host(random, 24), States = states[random.Next(states.Length)] },
            6 => rule with { Destination = Host(random, 32), Protocol = Udp, DestinationPorts = new PortRange(53, 53) },
            7 => rule with { States = ConnectionStates.Invalid },
            _ => rule with { Source = Host(random, 16), Protocol = Tcp, SourcePorts = new PortRange(0, 1023), DestinationPorts = Port(random) },
        };
    }

    private static Packet RandomPacket(Random random)
    {
        var proto = new[] { Tcp, Udp, Icmp, (byte)47 }[random.Next(4)];
        var (sport, dport) = proto switch
        {
            Icmp => ((ushort)random.Next(0, 4), (ushort)random.Next(0, 2)),
            Tcp or Udp => (PortValue(random), PortValue(random)),
            _ => ((ushort)0, (ushort)0),
        };
        var fields = new MatchFields(proto, Address(random), Address(random), sport, dport,
            proto == Tcp ? (byte)random.Next(256) : (byte)0, (byte)(1 << random.Next(4)));
        return new Packet(random.Next(2) == 0 ? RuleDirection.Ingress : RuleDirection.Egress, fields);
    }

    /// <summary>Addresses from 10.0.0.0/22: few enough that rules and packets meet.</summary>
    private static uint Address(Random random) => 0x0A000000u | (uint)random.Next(0, 1 << 10);

    private static Ipv4Prefix Host(Random random, int length) => Ipv4Prefix.Of(new Ipv4Address(Address(random)), length);

    private static readonly ushort[] Ports = [22, 53, 80, 443, 999, 1000, 1500, 1999, 2000, 1023, 1024, 8080];

    private static PortRange Port(Random random)
    {
        var p = Ports[random.Next(Ports.Length)];
        return new PortRange(p, p);
    }

    private static ushort PortValue(Random random) => Ports[random.Next(Ports.Length)];

    [Fact]
    public void The_tuple_list_fits_the_kernel_in_search_order()
    {
        var image = Compile(Enumerable.Range(0, 100).Select(i => Rule($"r{i}", i) with { Source = Ipv4Prefix.Of(new Ipv4Address(0x0A000000u + (uint)i), 8 + (i % 20)) }));
        var set = GenerationChange.SetOf(image, RuleAction.Drop, 7);
        Assert.Equal((uint)image.TupleCount, set.Count);
        Assert.Equal((uint)RuleAction.Drop, set.DefaultAction);
        Assert.Equal(7u, set.LastSerial);
        var masks = FwSet.MaskSpan(ref set);
        var order = image.SearchOrder();
        for (var i = 0; i < order.Count; i++)
        {
            Assert.Equal(order[i].Id, (int)masks[i].Tuple);
            Assert.Equal(order[i].MaxRank, masks[i].MaxRank);
            Assert.Equal(order[i].Mask, MatchFields.FromKernel(masks[i]));
        }
    }
}
