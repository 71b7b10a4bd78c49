using System.Buffers.Binary;
using System.Text.Json.Nodes;
using IoVisor.IoModules.Gtp;
using Xunit.Abstractions;
using static IoVisor.Datapath.Tests.FrameBuilder;
using static IoVisor.Datapath.Tests.GtpFrames;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// The GTP matcher (modules/bpf/gtp.c) under BPF_PROG_TEST_RUN in both hooks, configured through its
/// control plane (config, ports p0..p3, rules) the way the daemon does it. Frames go to hover_rx as
/// the framework hands them over on entering the module at port 0; the verdict, hover_md, the bytes
/// out, the rule counters, the status counters and the punt ring tell what happened.
/// </summary>
public sealed class GtpTests(GtpDatapathFixture fixture, ITestOutputHelper output) : IClassFixture<GtpDatapathFixture>
{
    private const int In = 0;

    private GtpHook Setup(string hook, string? config = null, params JsonObject?[] ports)
    {
        var dp = fixture[hook];
        dp.Reset(config is null ? null : JsonNode.Parse(config)!.AsObject(), ports);
        return dp;
    }

    private static void AssertForwarded(GtpHook dp, RunOutcome run, int port, byte[] frame)
    {
        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal((uint)port, run.Md.OutPort);
        Assert.Equal(frame, run.DataOut);
    }

    private static JsonObject Status(GtpHook dp, string key) => dp.Gtp.Table("status").Get(key)!;

    private static ulong Packets(JsonObject entry) => entry["packets"]!.GetValue<ulong>();

    private static JsonObject CounterOf(GtpHook dp, string rule) => dp.Gtp.Table("counters").Get(rule)!;

    [Theory, BothHooks]
    public void V2_with_teid_matches_its_rule_and_is_forwarded_unchanged(string hook)
    {
        var dp = Setup(hook);
        dp.AddRule("""{"version":2,"teid":4660,"messageType":32,"action":"forward","port":"p1"}""");

        var frame = Frame(PortC, V2(CreateSessionRequest, teid: 0x1234, seq: 0x010203));
        var run = dp.Run(In, frame);

        AssertForwarded(dp, run, 1, frame);
        Assert.Equal(1ul, Packets(Status(dp, "gtpv2c")));
        Assert.Equal((ulong)frame.Length, CounterOf(dp, "v2 teid 0x1234 type 32")["bytes"]!.GetValue<ulong>());
        Assert.Equal(1ul, dp.StatsOf(1).TxPackets);
        Assert.Empty(dp.TakePunts());
    }

    [Theory, BothHooks]
    public void V2_without_teid_matches_the_no_teid_rule_and_never_one_for_teid_zero(string hook)
    {
        var dp = Setup(hook);
        dp.AddRule("""{"version":2,"teid":"none","messageType":1,"action":"forward","port":"p2"}""");
        dp.AddRule("""{"version":2,"teid":0,"action":"forward","port":"p3"}""");

        // Echo Request: T = 0, so no TEID; the key is {teid none, type 1}.
        var echo = Frame(PortC, V2(GtpEchoRequest, teid: null, seq: 7, bodyLength: 6));
        AssertForwarded(dp, dp.Run(In, echo), 2, echo);

        // Create Session Request: T = 1 with TEID 0 (the peer's TEID is not known yet).
        var create = Frame(PortC, V2(CreateSessionRequest, teid: 0, seq: 8));
        AssertForwarded(dp, dp.Run(In, create), 3, create);

        Assert.Equal(1ul, Packets(CounterOf(dp, "v2 teid none type 1")));
        Assert.Equal(1ul, Packets(CounterOf(dp, "v2 teid 0x0 any")));
        Assert.Equal(2ul, Packets(Status(dp, "gtpv2c")));
        Assert.Equal(0ul, Packets(Status(dp, "unmatched")));
    }

    [Theory]
    [InlineData("tc", "plain")]
    [InlineData("xdp", "plain")]
    [InlineData("tc", "sequence")]
    [InlineData("xdp", "sequence")]
    [InlineData("tc", "npdu")]
    [InlineData("xdp", "npdu")]
    [InlineData("tc", "extension")]
    [InlineData("xdp", "extension")]
    [InlineData("tc", "all")]
    [InlineData("xdp", "all")]
    public void V1_with_and_without_optional_fields_is_parsed_and_matched(string hook, string optional)
    {
        var dp = Setup(hook, """{"defaultAction":{"action":"punt"}}""");
        dp.AddRule("""{"version":1,"teid":"0xabcdef01","action":"forward","port":"p1"}""");
        byte[] pduSession = [0x85, 0x01, 0x10, 0x09, 0x00]; // next type, then one 4-octet PDU session container
        var message = optional switch
        {
            "plain" => V1(0xabcdef01),
            "sequence" => V1(0xabcdef01, seq: 0x4242),
            "npdu" => V1(0xabcdef01, npdu: 9),
            "extension" => V1(0xabcdef01, extension: pduSession),
            _ => V1(0xabcdef01, seq: 0x4242, npdu: 9, extension: pduSession),
        };
        var frame = Frame(PortU, message);
        AssertForwarded(dp, dp.Run(In, frame), 1, frame);

        // The same message with another TEID reaches the default action (punt), whose record
        // carries what was parsed: the sequence number only when S says it is valid.
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), 0x77);
        dp.Run(In, Frame(PortU, message));
        var punt = Assert.Single(dp.TakePunts());
        Assert.Equal(GtpAbi.PuntDefault, punt.Reason);
        Assert.Equal(GtpAbi.WordPresent | 0x77, punt.Words[0]);
        Assert.Equal(1ul | ((ulong)GPdu << 8), punt.Words[1]);
        Assert.Equal(optional is "sequence" or "all" ? GtpAbi.WordPresent | 0x4242 : 0ul, punt.Words[2]);
        Assert.Equal(GtpAbi.RuleNone, punt.Words[3]);
        Assert.Equal(2ul, Packets(Status(dp, "gtpv1u")));
        Assert.Equal(0ul, Packets(Status(dp, "malformed")));
    }

    [Theory, BothHooks]
    public void V2_with_a_piggybacked_message_is_matched_by_the_first(string hook)
    {
        var dp = Setup(hook);
        dp.AddRule("""{"version":2,"teid":"0x99","action":"forward","port":"p1"}""");
        var frame = Frame(PortC, V2(33, teid: 0x99, seq: 1, piggyback: V2(CreateSessionRequest, teid: 0x98, seq: 2)));
        AssertForwarded(dp, dp.Run(In, frame), 1, frame);
    }

    public static TheoryData<string, string, string> MalformedCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var hook in new[] { "tc", "xdp" })
        {
            foreach (var (name, fault) in new[]
            {
                ("v1 cut inside the mandatory header", "truncated"),
                ("v1 with S set but no optional octets", "truncated"),
                ("v2 with T set, cut inside the TEID", "truncated"),
                ("v2 cut before the sequence number", "truncated"),
                ("UDP length beyond the IPv4 packet", "truncated"),
                ("UDP length below 8", "truncated"),
                ("v2 header on the GTP-U port", "version"),
                ("v1 header on the GTP-C port", "version"),
                ("version 3 on the GTP-C port", "version"),
                ("v1 length one too long", "length"),
                ("v1 length one too short", "length"),
                ("v2 length one too long", "length"),
                ("v2 length shorter than its header", "length"),
                ("v2 piggyback flag with nothing after", "length"),
                ("v1 PT 0 (GTP')", "protocolType"),
            })
            {
                data.Add(hook, name, fault);
            }
        }
        return data;
    }

    private static byte[] MalformedFrame(string name)
    {
        byte[] Patched(byte[] m, int at, byte value)
        {
            m[at] = value;
            return m;
        }
        byte[] Length(byte[] m, int delta)
        {
            BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(2)) + delta));
            return m;
        }
        return name switch
        {
            "v1 cut inside the mandatory header" => Frame(PortU, V1(0x10)[..6]),
            "v1 with S set but no optional octets" => Frame(PortU, Patched(V1(0x10, payloadLength: 0), 0, 0x32)),
            "v2 with T set, cut inside the TEID" => Frame(PortC, V2(CreateSessionRequest, 0x10, 1)[..6]),
            "v2 cut before the sequence number" => Frame(PortC, V2(GtpEchoRequest, null, 1)[..5]),
            "UDP length beyond the IPv4 packet" => Frame(PortU, V1(0x10), udpLengthDelta: 4),
            "UDP length below 8" => Frame(PortU, V1(0x10), udpLengthDelta: -(8 + V1(0x10).Length) + 4),
            "v2 header on the GTP-U port" => Frame(PortU, V2(CreateSessionRequest, 0x10, 1)),
            "v1 header on the GTP-C port" => Frame(PortC, V1(0x10)),
            "version 3 on the GTP-C port" => Frame(PortC, Patched(V2(CreateSessionRequest, 0x10, 1), 0, 0x68)),
            "v1 length one too long" => Frame(PortU, Length(V1(0x10), 1)),
            "v1 length one too short" => Frame(PortU, Length(V1(0x10), -1)),
            "v2 length one too long" => Frame(PortC, Length(V2(CreateSessionRequest, 0x10, 1), 1)),
            "v2 length shorter than its header" => Frame(PortC, Length(V2(CreateSessionRequest, 0x10, 1, bodyLength: 0), -5)),
            "v2 piggyback flag with nothing after" => Frame(PortC, Patched(V2(CreateSessionRequest, 0x10, 1), 0, 0x58)),
            "v1 PT 0 (GTP')" => Frame(PortU, Patched(V1(0x10), 0, 0x20)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void Malformed_messages_are_counted_by_fault_and_dropped_or_passed_as_configured(string hook, string name, string fault)
    {
        var dp = Setup(hook);
        // A rule for every TEID the cases carry: a malformed message must never reach it.
        dp.AddRule("""{"version":1,"teid":16,"action":"forward","port":"p1"}""");
        dp.AddRule("""{"version":2,"teid":16,"action":"forward","port":"p1"}""");
        var frame = MalformedFrame(name);

        var dropped = dp.Run(In, frame);
        Assert.Equal(dp.Drop, dropped.Verdict);
        Assert.Equal(1ul, Packets(Status(dp, $"malformed.{fault}")));
        Assert.Equal((ulong)frame.Length, Status(dp, "malformed")["bytes"]!.GetValue<ulong>());
        Assert.Equal(1ul, dp.StatsOf(In).Drops);

        // "pass": handled like non-GTP traffic (here: forwarded out of p3), still counted as malformed only.
        dp.Gtp.ApplyConfig(new GtpModuleType().NormalizeConfig(
            JsonNode.Parse("""{"malformed":"pass","nonGtp":{"action":"forward","port":"p3"}}""")!.AsObject()));
        AssertForwarded(dp, dp.Run(In, frame), 3, frame);
        Assert.Equal(2ul, Packets(Status(dp, $"malformed.{fault}")));
        Assert.Equal(2ul, Packets(Status(dp, "malformed")));
        Assert.Equal(0ul, Packets(Status(dp, "nonGtp")));
        Assert.Equal(0ul, Packets(Status(dp, "gtpv1u")) + Packets(Status(dp, "gtpv2c")) + Packets(Status(dp, "unmatched")));
        Assert.Equal(0ul, Packets(CounterOf(dp, "v1 teid 0x10 any")) + Packets(CounterOf(dp, "v2 teid 0x10 any")));
        Assert.Empty(dp.TakePunts());
    }

    [Theory, BothHooks]
    public void The_rule_for_the_exact_type_wins_over_the_one_for_any_type(string hook)
    {
        var dp = Setup(hook);
        dp.AddRule("""{"version":1,"teid":16,"messageType":255,"action":"forward","port":"p1"}""");
        dp.AddRule("""{"version":1,"teid":16,"messageType":"any","action":"forward","port":"p2"}""");
        dp.AddRule("""{"version":2,"teid":16,"action":"forward","port":"p3"}""");

        var gpdu = Frame(PortU, V1(0x10, GPdu));
        AssertForwarded(dp, dp.Run(In, gpdu), 1, gpdu);
        var echo = Frame(PortU, V1(0x10, GtpEchoRequest, seq: 1, payloadLength: 0));
        AssertForwarded(dp, dp.Run(In, echo), 2, echo);
        // The version is part of the key: the v2 rule for the same TEID takes GTP-C only.
        var control = Frame(PortC, V2(CreateSessionRequest, 0x10, 1));
        AssertForwarded(dp, dp.Run(In, control), 3, control);
        var otherTeid = Frame(PortU, V1(0x11, GPdu));
        Assert.Equal(dp.Drop, dp.Run(In, otherTeid).Verdict);

        Assert.Equal(1ul, Packets(CounterOf(dp, "v1 teid 0x10 type 255")));
        Assert.Equal(1ul, Packets(CounterOf(dp, "v1 teid 0x10 any")));
        Assert.Equal(1ul, Packets(CounterOf(dp, "v2 teid 0x10 any")));
        Assert.Equal(1ul, Packets(Status(dp, "unmatched")));

        // Without the exact rule, G-PDUs fall back to the wildcard.
        Assert.True(dp.Rules.Delete("v1 teid 0x10 type 255"));
        AssertForwarded(dp, dp.Run(In, gpdu), 2, gpdu);
    }

    [Theory, BothHooks]
    public void Unmatched_messages_take_the_default_action(string hook)
    {
        var frame = Frame(PortU, V1(0x5555));

        var dp = Setup(hook);
        Assert.Equal(dp.Drop, dp.Run(In, frame).Verdict);
        Assert.Equal(1ul, dp.StatsOf(In).Drops);

        dp = Setup(hook, """{"defaultAction":{"action":"forward","port":"p2"}}""");
        AssertForwarded(dp, dp.Run(In, frame), 2, frame);

        // A default port the module does not have drops until it exists.
        dp = Setup(hook, """{"defaultAction":{"action":"forward","port":"p9"}}""");
        Assert.Equal(dp.Drop, dp.Run(In, frame).Verdict);

        dp = Setup(hook, """{"defaultAction":{"action":"punt"}}""");
        Assert.Equal(dp.Drop, dp.Run(In, frame).Verdict); // punted, then dropped by the framework
        var punt = Assert.Single(dp.TakePunts());
        Assert.Equal(GtpAbi.PuntDefault, punt.Reason);
        Assert.Equal(frame, punt.Frame);
        Assert.Equal(1ul, Packets(Status(dp, "unmatched")));
    }

    [Theory, BothHooks]
    public void Every_rule_counts_its_own_packets_and_bytes(string hook)
    {
        var dp = Setup(hook);
        dp.AddRule("""{"version":1,"teid":1,"action":"forward","port":"p1"}""");
        dp.AddRule("""{"version":1,"teid":2,"action":"drop"}""");
        dp.AddRule("""{"version":1,"teid":3,"action":"forward","port":"p2"}""");
        var sizes = new[] { 10, 100, 1000 };
        foreach (var size in sizes)
        {
            dp.Run(In, Frame(PortU, V1(1, payloadLength: size)));
        }
        var dropped = Frame(PortU, V1(2));
        Assert.Equal(dp.Drop, dp.Run(In, dropped).Verdict);

        var first = CounterOf(dp, "v1 teid 0x1 any");
        Assert.Equal(3ul, Packets(first));
        Assert.Equal((ulong)sizes.Sum(s => Frame(PortU, V1(1, payloadLength: s)).Length), first["bytes"]!.GetValue<ulong>());
        Assert.Equal(1ul, Packets(CounterOf(dp, "v1 teid 0x2 any")));
        Assert.Equal((ulong)dropped.Length, CounterOf(dp, "v1 teid 0x2 any")["bytes"]!.GetValue<ulong>());
        Assert.Equal(0ul, Packets(CounterOf(dp, "v1 teid 0x3 any")));
        Assert.Equal(3ul, dp.StatsOf(1).TxPackets);

        // Zeroing one rule's counters leaves the others; a rule put again keeps counting.
        Assert.True(dp.Gtp.Table("counters").Delete("v1 teid 0x2 any"));
        Assert.Equal(0ul, Packets(CounterOf(dp, "v1 teid 0x2 any")));
        dp.AddRule("""{"version":1,"teid":1,"action":"forward","port":"p3"}""");
        dp.Run(In, Frame(PortU, V1(1)));
        Assert.Equal(4ul, Packets(CounterOf(dp, "v1 teid 0x1 any")));

        // A new rule in a freed slot starts from zero.
        Assert.True(dp.Rules.Delete("v1 teid 0x1 any"));
        dp.AddRule("""{"version":1,"teid":4,"action":"drop"}""");
        Assert.Equal(0ul, Packets(CounterOf(dp, "v1 teid 0x4 any")));
    }

    [Theory, BothHooks]
    public void A_punt_rule_sends_the_message_and_what_was_parsed_to_the_punted_table(string hook)
    {
        var dp = Setup(hook);
        dp.AddRule("""{"version":2,"teid":"0xcafe","messageType":34,"action":"punt"}""");
        var frame = Frame(PortC, V2(34, teid: 0xcafe, seq: 0x123456));

        Assert.Equal(dp.Drop, dp.Run(In, frame).Verdict);
        var punt = Assert.Single(dp.TakePunts());
        Assert.Equal(GtpAbi.PuntRule, punt.Reason);
        Assert.Equal(In, punt.Port);
        Assert.Equal(GtpAbi.WordPresent | 0xcafe, punt.Words[0]);
        Assert.Equal(2ul | (34ul << 8), punt.Words[1]);
        Assert.Equal(GtpAbi.WordPresent | 0x123456, punt.Words[2]);
        Assert.Equal(frame, punt.Frame);

        var record = Assert.Single(dp.Gtp.Table("punted").List());
        Assert.Equal("p0", (string?)record["port"]);
        Assert.Equal("rule", (string?)record["reason"]);
        Assert.Equal("v2 teid 0xcafe type 34", (string?)record["rule"]);
        Assert.Equal(2, (int?)record["version"]);
        Assert.Equal(34, (int?)record["messageType"]);
        Assert.Equal(0xcafeu, (uint?)record["teid"]);
        Assert.Equal(0x123456u, (uint?)record["sequence"]);
        Assert.Equal(Source, (string?)record["source"]);
        Assert.Equal(SourcePort, (int?)record["sourcePort"]);
        Assert.Equal(Destination, (string?)record["destination"]);
        Assert.Equal(PortC, (int?)record["destinationPort"]);
        Assert.Equal(frame.Length, (int?)record["length"]);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse((string)record["time"]!, System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(1));
        Assert.Equal(1ul, Packets(CounterOf(dp, "v2 teid 0xcafe type 34")));
    }

    [Theory, BothHooks]
    public void The_punted_table_keeps_the_last_256(string hook)
    {
        var dp = Setup(hook, """{"defaultAction":{"action":"punt"}}""");
        for (uint i = 1; i <= 300; i++)
        {
            dp.Run(In, Frame(PortU, V1(i, seq: (ushort)i)));
        }
        dp.TakePunts();
        var log = dp.Gtp.Table("punted").List();
        Assert.Equal(256, log.Count);
        Assert.Equal(45u, (uint?)log[0]["teid"]);
        Assert.Equal(300u, (uint?)log[^1]["teid"]);
        Assert.Equal(long.Parse((string)log[0]["key"]!) + 256 - 1, long.Parse((string)log[^1]["key"]!));
        Assert.Null(log[^1]["rule"]);
        Assert.Equal("unmatched", (string?)log[^1]["reason"]);
    }

    public static TheoryData<string, string> NonGtpCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var hook in new[] { "tc", "xdp" })
        {
            foreach (var kind in new[] { "arp", "udp to another port", "tcp to 2152", "fragment to 2152", "ipv4 options cut off", "ethernet header only" })
            {
                data.Add(hook, kind);
            }
        }
        return data;
    }

    private static byte[] NonGtpFrame(string kind) => kind switch
    {
        "arp" => Arp(ArpRequest, Broadcast, SenderMac, SenderMac, Source, new byte[6], Destination),
        "udp to another port" => Frame(53, V1(0x10)),
        "tcp to 2152" => Ethernet(MatcherMac, SenderMac, null, EthertypeIpv4, Ipv4(Source, Destination, 6, 64, Udp(PortU, V1(0x10)))),
        "fragment to 2152" => Frame(PortU, V1(0x10), fragOff: 0x2000),
        "ipv4 options cut off" => IhlBeyondFrame(),
        _ => Ethernet(MatcherMac, SenderMac, null, 0x88B5, []),
    };

    /// <summary>An IPv4 header whose IHL claims 4 octets of options the frame does not have.</summary>
    private static byte[] IhlBeyondFrame()
    {
        var frame = Frame(PortU, V1(0x10))[..34];
        frame[14] = 0x46;
        return frame;
    }

    [Theory]
    [MemberData(nameof(NonGtpCases))]
    public void Non_gtp_traffic_is_passed_by_default_or_dropped_or_forwarded(string hook, string kind)
    {
        var frame = NonGtpFrame(kind);

        var dp = Setup(hook);
        var passed = dp.Run(In, frame);
        Assert.Equal(dp.Pass, passed.Verdict);
        Assert.Equal(frame, passed.DataOut);

        dp = Setup(hook, """{"nonGtp":{"action":"drop"}}""");
        Assert.Equal(dp.Drop, dp.Run(In, frame).Verdict);

        dp = Setup(hook, """{"nonGtp":{"action":"forward","port":"p2"}}""");
        AssertForwarded(dp, dp.Run(In, frame), 2, frame);
        Assert.Equal(1ul, Packets(Status(dp, "nonGtp")));
        Assert.Equal(0ul, Packets(Status(dp, "malformed")));
    }

    [Theory, BothHooks]
    public void A_port_with_a_mac_gets_it_as_destination_of_what_leaves_through_it(string hook)
    {
        var nextHop = new JsonObject { ["mac"] = "02:00:00:00:0a:01" };
        var dp = Setup(hook, """{"nonGtp":{"action":"forward","port":"p1"}}""", null, nextHop);
        dp.AddRule("""{"version":1,"teid":16,"action":"forward","port":"p1"}""");
        dp.AddRule("""{"version":1,"teid":17,"action":"forward","port":"p2"}""");

        var toHop = Frame(PortU, V1(0x10));
        var run = dp.Run(In, toHop);
        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal(new byte[] { 0x02, 0, 0, 0, 0x0a, 0x01 }, run.DataOut[..6]);
        Assert.Equal(toHop[6..], run.DataOut[6..]);

        var plain = Frame(PortU, V1(0x11));
        AssertForwarded(dp, dp.Run(In, plain), 2, plain);

        var other = Frame(53, V1(0x10));
        Assert.Equal(new byte[] { 0x02, 0, 0, 0, 0x0a, 0x01 }, dp.Run(In, other).DataOut[..6]);
    }

    [Theory, BothHooks]
    public void A_vlan_tagged_message_is_matched_and_leaves_tagged(string hook)
    {
        var dp = Setup(hook);
        dp.AddRule("""{"version":1,"teid":16,"action":"forward","port":"p1"}""");
        var frame = Frame(PortU, V1(0x10), vid: 42);
        AssertForwarded(dp, dp.Run(In, frame), 1, frame);
    }

    [Theory, BothHooks]
    public void Timing_matched_gtp_u_packet(string hook)
    {
        // Reports the kernel's mean time per matched and forwarded G-PDU (BPF_PROG_TEST_RUN with
        // repeat) among 10000 rules; asserts only that the runs forwarded. A forward without a MAC
        // rewrite leaves the frame as it was, so every repetition sees the same packet.
        var dp = Setup(hook);
        for (uint teid = 1; teid <= 10_000; teid++)
        {
            dp.Rules.Put(null, new JsonObject { ["version"] = 1, ["teid"] = teid, ["action"] = "forward", ["port"] = teid % 2 == 0 ? "p1" : "p2" });
        }
        var frame = Frame(PortU, V1(5000, seq: 1, payloadLength: 64));

        var (verdict, ns) = dp.Time(In, frame, repeat: 1000, runs: 100);

        Assert.Equal(dp.Redirect, verdict);
        Assert.Equal(100_000ul, Packets(CounterOf(dp, "v1 teid 0x1388 any")));
        output.WriteLine($"gtp {hook}: matched GTP-U G-PDU, hover_rx + output, {ns:F1} ns/packet (mean of 100 x 1000 BPF_PROG_TEST_RUN repetitions, 10000 rules)");
    }
}
