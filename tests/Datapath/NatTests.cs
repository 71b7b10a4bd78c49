using System.Text.Json.Nodes;
using Xunit.Abstractions;
using static IoVisor.Datapath.Tests.FrameBuilder;
using static IoVisor.Datapath.Tests.NatFrames;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// The NAT module (modules/bpf/nat.c) under BPF_PROG_TEST_RUN in both hooks, with its rules written
/// through its control plane. Port 0 is inside (hosts 10.0.1.0/24 behind a router), port 1 outside
/// (address 192.0.2.1, servers 203.0.113.0/24). A translated frame must differ from the one that
/// came in only in its addresses, ports and checksums, and both checksums must be right when
/// recomputed from scratch. Test runs never transmit: a redirect is the verdict.
/// </summary>
public sealed class NatTests(NatDatapathFixture fixture, ITestOutputHelper output) : IClassFixture<NatDatapathFixture>
{
    private const int In = NatHook.Inside, Out = NatHook.Outside;
    private const string Server = "203.0.113.5";

    private NatHook Setup(string hook, JsonObject? config = null)
    {
        var nat = fixture[hook];
        nat.Reset(config);
        return nat;
    }

    /// <summary>Runs <paramref name="frame"/> in on <paramref name="port"/>; it must leave by the other port translated to <paramref name="expected"/>.</summary>
    private static byte[] Through(NatHook nat, int port, byte[] frame, Tuple5 expected)
    {
        var run = nat.Run(port, frame);
        Assert.Equal(nat.Redirect, run.Verdict);
        Assert.Equal((uint)(1 - port), run.Md.OutPort);
        AssertTranslated(frame, run.DataOut, expected);
        return run.DataOut;
    }

    private static Tuple5 Reversed(Tuple5 t) => new(t.Proto, t.Dst, t.Dport, t.Src, t.Sport);

    [Theory]
    [InlineData("tc", ProtoTcp)]
    [InlineData("xdp", ProtoTcp)]
    [InlineData("tc", ProtoUdp)]
    [InlineData("xdp", ProtoUdp)]
    [InlineData("tc", ProtoIcmp)]
    [InlineData("xdp", ProtoIcmp)]
    public void Snat_translates_the_first_packet_and_the_replies(string hook, byte proto)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10"}""");
        var port = proto == ProtoIcmp ? (ushort)0x4242 : (ushort)40000;
        var sent = new Tuple5(proto, "10.0.1.2", port, Server, proto == ProtoIcmp ? port : (ushort)80);

        // The original port is free and in the default range 1024-65535: kept.
        var translated = new Tuple5(proto, "192.0.2.10", port, Server, sent.Dport);
        Through(nat, In, Frame(sent, TcpSyn), translated);

        var reply = Frame(Reversed(translated), TcpSyn | TcpAck, icmpType: 0);
        Through(nat, Out, reply, Reversed(sent));

        var again = Frame(sent, TcpAck, payload: 100);
        Through(nat, In, again, translated);

        var session = Assert.Single(nat.Sessions.List());
        Assert.Equal("snat", (string?)session["type"]);
        Assert.Equal("snat 10.0.1.0/24", (string?)session["rule"]);
        Assert.Equal(2UL, (ulong?)session["packets"]!["orig"]);
        Assert.Equal(1UL, (ulong?)session["packets"]!["reply"]);
    }

    [Theory, BothHooks]
    public void Masquerade_takes_the_outside_address_and_a_zero_udp_checksum_stays_zero(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"masquerade","logicalIp":"10.0.0.0/8","externalPortRange":"20000-20099"}""");
        var sent = new Tuple5(ProtoUdp, "10.0.1.2", 53000, Server, 53);
        var frame = Frame(sent, udpChecksum: false);

        var run = nat.Run(In, frame);
        Assert.Equal(nat.Redirect, run.Verdict);
        var got = TupleOf(run.DataOut);
        Assert.Equal(NatHook.OutsideAddress, got.Src);
        Assert.InRange(got.Sport, (ushort)20000, (ushort)20099);
        AssertTranslated(frame, run.DataOut, got with { Src = NatHook.OutsideAddress });

        var reply = Frame(Reversed(got), udpChecksum: false);
        Through(nat, Out, reply, Reversed(sent));
    }

    [Theory, BothHooks]
    public void Dnat_forwards_a_port_to_an_inside_server(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"dnat","externalIp":"192.0.2.1","protocol":"tcp","externalPort":8080,"logicalIp":"10.0.1.5","logicalPort":80}""");
        var sent = new Tuple5(ProtoTcp, Server, 51000, NatHook.OutsideAddress, 8080);
        var inside = new Tuple5(ProtoTcp, Server, 51000, "10.0.1.5", 80);
        Through(nat, Out, Frame(sent, TcpSyn), inside);
        Through(nat, In, Frame(Reversed(inside), TcpSyn | TcpAck), Reversed(sent));

        // Another port of the same address is not forwarded: it goes on as it is (to the router).
        var other = Frame(sent with { Dport = 22 }, TcpSyn);
        var run = nat.Run(Out, other);
        Assert.Equal(nat.Redirect, run.Verdict);
        Assert.Equal(other, run.DataOut);

        var session = Assert.Single(nat.Sessions.List());
        Assert.Equal("dnat tcp 192.0.2.1:8080", (string?)session["rule"]);
        Assert.Equal("outside", (string?)session["from"]);
    }

    [Theory, BothHooks]
    public void Dnat_and_snat_maps_one_address_both_ways_and_keeps_ports(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"dnat_and_snat","externalIp":"192.0.2.20","logicalIp":"10.0.1.5"}""");
        nat.AddRule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10"}""");

        // Out: the /32 of dnat_and_snat wins over the /24 snat.
        var sent = new Tuple5(ProtoUdp, "10.0.1.5", 41000, Server, 4000);
        Through(nat, In, Frame(sent), sent with { Src = "192.0.2.20" });

        // In: a new flow from anywhere to the external address.
        var incoming = new Tuple5(ProtoTcp, "198.51.100.7", 52000, "192.0.2.20", 443);
        Through(nat, Out, Frame(incoming, TcpSyn), incoming with { Dst = "10.0.1.5" });
        Through(nat, In, Frame(Reversed(incoming with { Dst = "10.0.1.5" })), Reversed(incoming));

        var ping = new Tuple5(ProtoIcmp, "198.51.100.7", 9, "192.0.2.20", 9);
        Through(nat, Out, Frame(ping), ping with { Dst = "10.0.1.5" });
    }

    [Theory, BothHooks]
    public void Two_hosts_with_the_same_source_port_get_different_external_ports(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10"}""");
        var a = new Tuple5(ProtoTcp, "10.0.1.2", 40000, Server, 80);
        var b = a with { Src = "10.0.1.3" };

        Through(nat, In, Frame(a, TcpSyn), a with { Src = "192.0.2.10" });
        var runB = nat.Run(In, Frame(b, TcpSyn));
        Assert.Equal(nat.Redirect, runB.Verdict);
        var gotB = TupleOf(runB.DataOut);
        Assert.Equal("192.0.2.10", gotB.Src);
        Assert.NotEqual(a.Sport, gotB.Sport);
        AssertTranslated(Frame(b, TcpSyn), runB.DataOut, gotB);

        // Each reply reaches its own host.
        Through(nat, Out, Frame(Reversed(a with { Src = "192.0.2.10" })), Reversed(a));
        Through(nat, Out, Frame(Reversed(gotB)), Reversed(b));
        Assert.Equal(2, nat.Sessions.List().Count);
    }

    [Theory, BothHooks]
    public void An_exhausted_port_range_drops_the_new_flow_and_counts_it(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10","externalPortRange":"5000-5001"}""");
        var seen = new HashSet<ushort>();
        for (var host = 2; host <= 3; host++)
        {
            var run = nat.Run(In, Frame(new Tuple5(ProtoUdp, $"10.0.1.{host}", 7000, Server, 53)));
            Assert.Equal(nat.Redirect, run.Verdict);
            Assert.True(seen.Add(TupleOf(run.DataOut).Sport));
        }
        Assert.Equal(new HashSet<ushort> { 5000, 5001 }, seen);

        var third = nat.Run(In, Frame(new Tuple5(ProtoUdp, "10.0.1.4", 7000, Server, 53)));
        Assert.Equal(nat.Drop, third.Verdict);
        Assert.Equal(1ul, nat.StatsOf(In).Drops);
        Assert.Equal(2, nat.Sessions.List().Count);
    }

    [Theory, BothHooks]
    public void Icmp_errors_about_a_snat_flow_reach_the_inside_host_translated(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10","externalPortRange":"6000-6000"}""");
        var sent = new Tuple5(ProtoUdp, "10.0.1.2", 40000, Server, 53);
        var outside = new Tuple5(ProtoUdp, "192.0.2.10", 6000, Server, 53);
        Through(nat, In, Frame(sent), outside);

        // Fragmentation needed from a router on the way: the error keeps its source.
        var mtu = nat.Run(Out, IcmpError("198.51.100.1", "192.0.2.10", 3, 4, Frame(outside)));
        Assert.Equal(nat.Redirect, mtu.Verdict);
        Assert.Equal((uint)In, mtu.Md.OutPort);
        Assert.Equal(IcmpError("198.51.100.1", "10.0.1.2", 3, 4, Frame(sent)), mtu.DataOut);

        // Port unreachable from the server itself.
        var refused = nat.Run(Out, IcmpError(Server, "192.0.2.10", 3, 3, Frame(outside)));
        Assert.Equal(IcmpError(Server, "10.0.1.2", 3, 3, Frame(sent)), refused.DataOut);

        // An echo request whose identifier was translated, quoted in host unreachable.
        nat.Sessions.Flush();
        var ping = new Tuple5(ProtoIcmp, "10.0.1.2", 0x4242, Server, 0x4242);
        var pingOut = new Tuple5(ProtoIcmp, "192.0.2.10", 6000, Server, 6000);
        Through(nat, In, Frame(ping), pingOut);
        var unreachable = nat.Run(Out, IcmpError("198.51.100.1", "192.0.2.10", 3, 1, Frame(pingOut)));
        Assert.Equal(IcmpError("198.51.100.1", "10.0.1.2", 3, 1, Frame(ping)), unreachable.DataOut);
    }

    [Theory, BothHooks]
    public void An_icmp_error_from_a_forwarded_inside_server_leaves_as_the_external_address(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"dnat","externalIp":"192.0.2.1","protocol":"tcp","externalPort":8080,"logicalIp":"10.0.1.5","logicalPort":80}""");
        var sent = new Tuple5(ProtoTcp, Server, 51000, NatHook.OutsideAddress, 8080);
        var inside = sent with { Dst = "10.0.1.5", Dport = 80 };
        Through(nat, Out, Frame(sent, TcpSyn), inside);

        // Administratively prohibited, quoting only 8 bytes of the TCP header (RFC 792's minimum).
        var run = nat.Run(In, IcmpError("10.0.1.5", Server, 3, 13, Frame(inside, TcpSyn), quote: 28));
        Assert.Equal(nat.Redirect, run.Verdict);
        Assert.Equal(IcmpError(NatHook.OutsideAddress, Server, 3, 13, Frame(sent, TcpSyn), quote: 28), run.DataOut);
    }

    [Theory, BothHooks]
    public void Unmatched_traffic_passes_byte_identical(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10"}""");
        var frames = new (int Port, byte[] Frame)[]
        {
            (In, Frame(new Tuple5(ProtoTcp, "10.0.9.2", 40000, Server, 80), TcpSyn)),   // no rule for the source
            (In, Frame(new Tuple5(ProtoIcmp, NatHook.OutsideAddress, 5, Server, 5))),    // the router's own ping
            (Out, Frame(new Tuple5(ProtoUdp, Server, 53, "192.0.2.10", 9999))),          // no flow, no dnat
            (Out, IcmpError(Server, "192.0.2.10", 3, 3, Frame(new Tuple5(ProtoUdp, "192.0.2.10", 7, Server, 8)))), // about no flow
            (Out, Arp(ArpRequest, Broadcast, ServerMac, ServerMac, Server, new byte[6], NatHook.OutsideAddress)),
            (In, Arp(ArpRequest, Broadcast, RouterMac, RouterMac, NatHook.OutsideAddress, new byte[6], Server)),
            (In, Ethernet(ServerMac, HostMac, null, 0x86dd, new byte[60])),
        };
        foreach (var (port, frame) in frames)
        {
            var run = nat.Run(port, frame);
            Assert.Equal(nat.Redirect, run.Verdict);
            Assert.Equal((uint)(1 - port), run.Md.OutPort);
            Assert.Equal(frame, run.DataOut);
        }
        Assert.Empty(nat.Sessions.List());
    }

    [Theory, BothHooks]
    public void Arp_for_external_addresses_is_answered_with_the_router_mac(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10-192.0.2.11"}""");
        var request = Arp(ArpRequest, Broadcast, ServerMac, ServerMac, Server, new byte[6], "192.0.2.11");

        // Nothing seen on the inside yet: no MAC to answer with, the request goes on.
        Assert.Equal(request, nat.Run(Out, request).DataOut);

        nat.Run(In, Learn(RouterMac));
        var run = nat.Run(Out, request);
        Assert.Equal(nat.Redirect, run.Verdict);
        Assert.Equal((uint)Out, run.Md.OutPort);
        Assert.Equal(Arp(ArpReply, ServerMac, RouterMac, RouterMac, "192.0.2.11", ServerMac, Server), run.DataOut);

        // A configured external MAC wins.
        nat.Nat.ApplyConfig(new JsonObject { ["externalMac"] = "02:00:00:00:00:99", ["conntrack"] = new JsonObject() });
        run = nat.Run(Out, request);
        Assert.Equal(Arp(ArpReply, ServerMac, Mac(0x99), Mac(0x99), "192.0.2.11", ServerMac, Server), run.DataOut);
    }

    /// <summary>A frame from the router's MAC on the inside port: what the NAT learns the MAC from.</summary>
    private static byte[] Learn(byte[] mac) => Ethernet(ServerMac, mac, null, EthertypeIpv4, Ipv4("10.0.9.9", Server, ProtoUdp, 64, UdpDatagram()));

    [Theory, BothHooks]
    public void Established_flows_keep_their_translation_when_the_rule_changes(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10"}""");
        var sent = new Tuple5(ProtoTcp, "10.0.1.2", 40000, Server, 80);
        Through(nat, In, Frame(sent, TcpSyn), sent with { Src = "192.0.2.10" });

        nat.Rules.Put("snat 10.0.1.0/24", JsonNode.Parse("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.30"}""")!.AsObject());
        Through(nat, In, Frame(sent), sent with { Src = "192.0.2.10" });
        var fresh = sent with { Sport = 40001 };
        Through(nat, In, Frame(fresh, TcpSyn), fresh with { Src = "192.0.2.30" });

        Assert.True(nat.Rules.Delete("snat 10.0.1.0/24"));
        Through(nat, Out, Frame(Reversed(sent with { Src = "192.0.2.10" })), Reversed(sent));
        var session = nat.Sessions.Get("tcp 10.0.1.2:40000 > 203.0.113.5:80")!;
        Assert.Null((string?)session["rule"]);
    }

    [Theory, BothHooks]
    public void A_flow_seen_from_the_wrong_side_is_dropped(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10"}""");
        var sent = new Tuple5(ProtoUdp, "10.0.1.2", 40000, Server, 53);
        Through(nat, In, Frame(sent), sent with { Src = "192.0.2.10" });
        Assert.Equal(nat.Drop, nat.Run(Out, Frame(sent)).Verdict);
    }

    [Theory, BothHooks]
    public void Timing_of_an_established_translated_packet(string hook)
    {
        var nat = Setup(hook);
        nat.AddRule("""{"type":"snat","logicalIp":"10.0.1.0/24","externalIp":"192.0.2.10"}""");
        var sent = new Tuple5(ProtoTcp, "10.0.1.2", 40000, Server, 80);
        Through(nat, In, Frame(sent, TcpSyn), sent with { Src = "192.0.2.10" });
        var frame = Frame(sent, TcpAck, payload: 18);
        nat.Time(In, frame, repeat: 1, runs: 1000);
        var (verdict, ns) = nat.Time(In, frame, repeat: 1, runs: 20000);
        Assert.Equal(nat.Redirect, verdict);
        output.WriteLine($"{hook}: established TCP packet, snat, {frame.Length} bytes: {ns:F1} ns/packet (BPF_PROG_TEST_RUN repeat 1, mean of 20,000 calls)");
    }
}
