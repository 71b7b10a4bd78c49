using System.Text.Json.Nodes;
using Xunit.Abstractions;
using static IoVisor.Datapath.Tests.FrameBuilder;
using static IoVisor.Datapath.Tests.L4Frames;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// The load balancer (modules/bpf/l4lb.c) under BPF_PROG_TEST_RUN in both hooks, configured
/// through its control plane's tables. Port 0 is the front (clients), port 1 the back (servers).
/// Clients are 10.0.1.x; the VIP is 10.0.0.100; backends are 10.0.2.11 and up. Checksums of
/// translated frames are recomputed from scratch, pseudo-header included.
/// </summary>
public sealed class L4lbTests(L4lbFixture fixture, ITestOutputHelper output) : IClassFixture<L4lbFixture>
{
    private const string Vip = "10.0.0.100";
    private const string Client = "10.0.1.2";
    private const int Front = L4lbHook.Front;
    private const int Back = L4lbHook.Back;
    private static readonly byte[] ClientMac = Mac(0x0a), GatewayMac = Mac(0x01), RouterMac = Mac(0x02);

    private static byte[] BackendMac(int i) => Mac((byte)(0x10 + i));

    private L4lbHook Setup(string hook, int maglevTableSize = 65537)
    {
        var dp = fixture[hook];
        dp.Reset(maglevTableSize);
        return dp;
    }

    private static void Service(L4lbHook dp, string protocol = "tcp", int port = 80, string mode = "dnat") =>
        dp.Services.Put(null, new JsonObject { ["vip"] = Vip, ["port"] = port, ["protocol"] = protocol, ["mode"] = mode });

    private static void Backend(L4lbHook dp, int i, int? port = null, int weight = 100, bool healthy = true, string service = "tcp 10.0.0.100:80")
    {
        var entry = new JsonObject { ["service"] = service, ["address"] = $"10.0.2.{10 + i}", ["weight"] = weight, ["healthy"] = healthy, ["mac"] = Hex(BackendMac(i)) };
        if (port is not null)
        {
            entry["port"] = port;
        }
        dp.Backends.Put(null, entry);
    }

    private static string Hex(byte[] mac) => string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static byte[] Syn(ushort sport, ushort dport = 80, byte flags = L4Frames.Syn) => Tcp(GatewayMac, ClientMac, Client, sport, Vip, dport, flags);

    /// <summary>Sends a client's packet in at the front; returns where it went ("10.0.2.11:80").</summary>
    private static string Balanced(L4lbHook dp, byte[] frame)
    {
        var run = dp.Run(Front, frame);
        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal((uint)Back, run.Md.OutPort);
        Assert.True(ChecksumsValid(run.DataOut), "checksums invalid after the rewrite");
        return Destination(run.DataOut);
    }

    [Theory, BothHooks]
    public void Dnat_translates_the_destination_and_the_replies_source_with_valid_checksums(string hook)
    {
        var dp = Setup(hook);
        Service(dp);
        Backend(dp, 1, port: 8080);

        var run = dp.Run(Front, Syn(40000));
        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal((uint)Back, run.Md.OutPort);
        Assert.Equal(Tcp(GatewayMac, ClientMac, Client, 40000, "10.0.2.11", 8080, L4Frames.Syn), run.DataOut);
        Assert.True(ChecksumsValid(run.DataOut));

        var reply = dp.Run(Back, Tcp(ClientMac, RouterMac, "10.0.2.11", 8080, Client, 40000, SynAck));
        Assert.Equal(dp.Redirect, reply.Verdict);
        Assert.Equal((uint)Front, reply.Md.OutPort);
        Assert.Equal(Tcp(ClientMac, RouterMac, Vip, 80, Client, 40000, SynAck), reply.DataOut);
        Assert.True(ChecksumsValid(reply.DataOut));

        var session = Assert.Single(dp.Sessions.List());
        Assert.Equal("tcp 10.0.1.2:40000 > 10.0.0.100:80", (string?)session["key"]);
        Assert.Equal("tcp 10.0.2.11:8080 > 10.0.1.2:40000", (string?)session["reply"]);
        Assert.Equal("10.0.2.11:8080", (string?)session["backend"]);
        Assert.Equal("dnat", (string?)session["mode"]);
        Assert.Equal("synReceived", (string?)session["state"]);
    }

    [Theory]
    [InlineData("tc", true)]
    [InlineData("tc", false)]
    [InlineData("xdp", true)]
    [InlineData("xdp", false)]
    public void Dnat_translates_udp_and_keeps_a_missing_checksum_missing(string hook, bool checksum)
    {
        var dp = Setup(hook);
        Service(dp, "udp", 53);
        Backend(dp, 2, port: 5353, service: "udp 10.0.0.100:53");

        var run = dp.Run(Front, Udp(GatewayMac, ClientMac, Client, 33000, Vip, 53, checksum));
        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal(Udp(GatewayMac, ClientMac, Client, 33000, "10.0.2.12", 5353, checksum), run.DataOut);
        Assert.True(ChecksumsValid(run.DataOut));

        var reply = dp.Run(Back, Udp(ClientMac, RouterMac, "10.0.2.12", 5353, Client, 33000, checksum));
        Assert.Equal(Udp(ClientMac, RouterMac, Vip, 53, Client, 33000, checksum), reply.DataOut);
        Assert.Equal("replied", (string?)Assert.Single(dp.Sessions.List())["state"]);
    }

    [Theory, BothHooks]
    public void Dsr_rewrites_only_the_destination_mac_and_leaves_replies_alone(string hook)
    {
        var dp = Setup(hook);
        Service(dp, mode: "dsr");
        Backend(dp, 3);

        var syn = Syn(40001);
        var run = dp.Run(Front, syn);
        Assert.Equal(dp.Redirect, run.Verdict);
        var expected = (byte[])syn.Clone();
        BackendMac(3).CopyTo(expected, 0);
        Assert.Equal(expected, run.DataOut);

        var reply = Tcp(ClientMac, RouterMac, Vip, 80, Client, 40001, SynAck);
        var back = dp.Run(Back, reply);
        Assert.Equal(dp.Redirect, back.Verdict);
        Assert.Equal((uint)Front, back.Md.OutPort);
        Assert.Equal(reply, back.DataOut);

        var session = Assert.Single(dp.Sessions.List());
        Assert.Equal("dsr", (string?)session["mode"]);
        Assert.Equal(Hex(BackendMac(3)), (string?)session["backendMac"]);
        Assert.Equal("tcp 10.0.0.100:80 > 10.0.1.2:40001", (string?)session["reply"]);
    }

    [Theory, BothHooks]
    public void Existing_flows_keep_their_backend_whatever_the_pool_becomes(string hook)
    {
        var dp = Setup(hook);
        Service(dp);
        for (var i = 1; i <= 3; i++)
        {
            Backend(dp, i);
        }
        var flows = Enumerable.Range(41000, 60).Select(p => (ushort)p).ToDictionary(p => p, p => Balanced(dp, Syn(p)));
        Assert.Equal(3, flows.Values.Distinct().Count());

        dp.Backends.Delete("tcp 10.0.0.100:80 10.0.2.11:80");
        Backend(dp, 2, weight: 1000);
        Backend(dp, 4, weight: 1000);
        Backend(dp, 5);

        foreach (var (sport, backend) in flows)
        {
            Assert.Equal(backend, Balanced(dp, Syn(sport, flags: Ack)));
        }
    }

    [Theory, BothHooks]
    public void Drained_and_unhealthy_backends_get_no_new_flows_but_keep_their_own(string hook)
    {
        var dp = Setup(hook);
        Service(dp);
        for (var i = 1; i <= 3; i++)
        {
            Backend(dp, i);
        }
        var flows = Enumerable.Range(42000, 60).Select(p => (ushort)p).ToDictionary(p => p, p => Balanced(dp, Syn(p)));

        Backend(dp, 1, weight: 0);
        Backend(dp, 2, healthy: false);
        var fresh = Enumerable.Range(43000, 200).Select(p => Balanced(dp, Syn((ushort)p))).Distinct().ToList();
        Assert.Equal(["10.0.2.13:80"], fresh);

        foreach (var (sport, backend) in flows)
        {
            Assert.Equal(backend, Balanced(dp, Syn(sport, flags: Ack)));
        }
        var backends = dp.Backends.List().ToDictionary(b => (string)b["address"]!, b => (long)b["slots"]!);
        Assert.Equal(0, backends["10.0.2.11"]);
        Assert.Equal(0, backends["10.0.2.12"]);
        Assert.Equal(65537, backends["10.0.2.13"]);
    }

    [Theory, BothHooks]
    public void A_new_connection_on_the_ports_of_a_closed_one_is_balanced_afresh(string hook)
    {
        var dp = Setup(hook);
        Service(dp);
        Backend(dp, 1);
        Assert.Equal("10.0.2.11:80", Balanced(dp, Syn(44000)));
        Balanced(dp, Syn(44000, flags: 0x04)); // RST: closed

        Backend(dp, 1, weight: 0);
        Backend(dp, 2);
        Assert.Equal("10.0.2.12:80", Balanced(dp, Syn(44000)));
    }

    [Theory, BothHooks]
    public void A_vip_without_a_usable_backend_drops_and_counts(string hook)
    {
        var dp = Setup(hook);
        Service(dp);
        Assert.Equal(dp.Drop, dp.Run(Front, Syn(45000)).Verdict);
        Backend(dp, 1, healthy: false);
        Assert.Equal(dp.Drop, dp.Run(Front, Syn(45001)).Verdict);

        var stats = Assert.Single(dp.Services.List())["stats"]!;
        Assert.Equal(2ul, (ulong)stats["noBackendDrops"]!);
        Assert.Equal(0ul, (ulong)stats["connections"]!);
        Assert.Equal(2ul, dp.StatsOf(Front).Drops);
        Assert.Empty(dp.Sessions.List());

        Backend(dp, 1);
        Assert.Equal("10.0.2.11:80", Balanced(dp, Syn(45002)));
        Assert.Equal(1ul, (ulong)Assert.Single(dp.Services.List())["stats"]!["connections"]!);
    }

    public static TheoryData<string, int, string> PassThrough()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var hook in new[] { "tc", "xdp" })
        {
            foreach (var name in Frames.Keys)
            {
                data.Add(hook, name.StartsWith("back", StringComparison.Ordinal) ? Back : Front, name);
            }
        }
        return data;
    }

    private static readonly Dictionary<string, byte[]> Frames = new()
    {
        ["front arp request"] = Arp(ArpRequest, Broadcast, ClientMac, ClientMac, Client, new byte[6], "10.0.1.1"),
        ["front tcp to another port of the vip"] = Syn(46000, dport: 81),
        ["front udp to the tcp service's port"] = Udp(GatewayMac, ClientMac, Client, 46001, Vip, 80),
        ["front tcp to another address"] = Tcp(GatewayMac, ClientMac, Client, 46002, "10.0.2.11", 80),
        ["front icmp echo to the vip"] = EchoRequest(GatewayMac, ClientMac, Client, Vip),
        ["front ipv4 fragment"] = Ethernet(GatewayMac, ClientMac, null, EthertypeIpv4, Ipv4(Client, Vip, 6, 64, new byte[24], fragOff: 100)),
        ["front vlan tagged arp"] = Arp(ArpRequest, Broadcast, ClientMac, ClientMac, Client, new byte[6], "10.0.1.1", vid: 7),
        ["back tcp from a server, untracked"] = Tcp(ClientMac, RouterMac, "10.0.2.11", 80, Client, 46003, SynAck),
        ["back arp reply"] = Arp(ArpReply, ClientMac, RouterMac, RouterMac, "10.0.1.1", ClientMac, Client),
    };

    [Theory]
    [MemberData(nameof(PassThrough))]
    public void Traffic_that_is_not_for_a_service_crosses_byte_for_byte(string hook, int port, string frame)
    {
        var dp = Setup(hook);
        Service(dp);
        Backend(dp, 1);

        var run = dp.Run(port, Frames[frame]);
        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal((uint)(port == Front ? Back : Front), run.Md.OutPort);
        Assert.Equal(Frames[frame], run.DataOut);
        Assert.Empty(dp.Sessions.List());
    }

    [Theory, BothHooks]
    public void New_flows_spread_over_the_backends_by_weight(string hook)
    {
        var dp = Setup(hook);
        Service(dp);
        Backend(dp, 1, weight: 100);
        Backend(dp, 2, weight: 200);
        Backend(dp, 3, weight: 300);
        const int flows = 3000;
        var counts = Enumerable.Range(0, flows)
            .Select(i => Balanced(dp, Tcp(GatewayMac, ClientMac, $"10.0.{1 + i % 7}.{2 + i % 200}", (ushort)(20000 + i), Vip, 80)))
            .CountBy(b => b).ToDictionary();
        output.WriteLine($"{hook}: {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}");
        for (var i = 1; i <= 3; i++)
        {
            var share = (double)counts.GetValueOrDefault($"10.0.2.{10 + i}:80") / flows;
            Assert.InRange(share, i / 6.0 - 0.03, i / 6.0 + 0.03);
        }
        Assert.Equal((ulong)flows, (ulong)Assert.Single(dp.Services.List())["stats"]!["connections"]!);
    }

    [Theory, BothHooks]
    public void Timing_of_an_established_flow(string hook)
    {
        var dp = Setup(hook);
        Service(dp);
        Backend(dp, 1, port: 8080);
        var syn = Syn(47000);
        Balanced(dp, syn);
        var ack = Syn(47000, flags: Ack);
        var reply = Tcp(ClientMac, RouterMac, "10.0.2.11", 8080, Client, 47000, Ack);
        dp.Time(Front, ack, repeat: 1, runs: 1000);
        var (verdict, ns) = dp.Time(Front, ack, repeat: 1, runs: 20_000);
        Assert.Equal(dp.Redirect, verdict);
        var (replyVerdict, replyNs) = dp.Time(Back, reply, repeat: 1, runs: 20_000);
        Assert.Equal(dp.Redirect, replyVerdict);
        output.WriteLine($"l4lb {hook}: established DNAT flow, hover_rx + output: client→backend {ns:F1} ns/packet, reply {replyNs:F1} ns/packet " +
            "(mean of 20,000 BPF_PROG_TEST_RUN calls of one repetition each)");
    }
}
