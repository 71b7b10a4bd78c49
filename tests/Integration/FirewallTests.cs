using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using IoVisor.Integration.Tests.Harness;
using Xunit;

namespace IoVisor.Integration.Tests;

/// <summary>
/// A firewall fw1 between two hosts of one subnet: the protected host (10.N.0.2, on fw1:in) and an
/// outside host (10.N.0.1, on fw1:out). Real TCP, UDP and ping cross it, or are dropped, or are
/// refused by the resets and ICMP errors the slow path sends; allow-related lets replies in while
/// unsolicited inbound traffic stays out; a batch of 10,000 rules replaces the set over REST.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class FirewallTests
{
    private const string Rules = "modules/fw1/tables/rules/entries";

    private sealed record Topology(Host Inside, Host Outside);

    private static async Task<Topology> BuildAsync(TestBed bed, string hook, int n, JsonObject? config = null)
    {
        var inside = await bed.AddHostAsync($"10.{n}.0.2/24");
        var outside = await bed.AddHostAsync($"10.{n}.0.1/24");
        if (hook == "xdp")
        {
            await inside.DisableTxChecksumOffloadAsync();
            await outside.DisableTxChecksumOffloadAsync();
        }
        await bed.Http.CreateModuleAsync("fw1", "firewall", hook, config);
        await bed.Http.AddPortAsync("fw1", "in", new JsonObject { ["role"] = "inside" });
        await bed.Http.AddPortAsync("fw1", "out", new JsonObject { ["role"] = "outside" });
        await bed.Http.LinkAsync("fw1:in", inside.Veth.NetdevRef);
        await bed.Http.LinkAsync("fw1:out", outside.Veth.NetdevRef);
        return new Topology(inside, outside);
    }

    private static JsonObject Rule(string key, int priority, string direction, string action, string? protocol = null, int? dport = null, int? icmpType = null)
    {
        var rule = new JsonObject { ["key"] = key, ["priority"] = priority, ["direction"] = direction, ["action"] = action };
        if (protocol is not null)
        {
            rule["protocol"] = protocol;
        }
        if (dport is { } port)
        {
            rule["dport"] = port;
        }
        if (icmpType is { } type)
        {
            rule["icmpType"] = type;
        }
        return rule;
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Traffic_is_allowed_dropped_or_refused_as_the_rules_say(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await BuildAsync(bed, hook, 101, new JsonObject { ["defaultAction"] = "drop" });
        foreach (var rule in new[]
        {
            Rule("out", 100, "egress", "allow-related"),
            Rule("web-in", 100, "ingress", "allow-related", "tcp", 5201),
            Rule("udp-in", 100, "ingress", "allow-related", "udp", 5301),
            Rule("ssh-refused", 100, "ingress", "reject", "tcp", 5202),
            Rule("udp-refused", 100, "ingress", "reject", "udp", 5300),
            Rule("ping-refused", 100, "ingress", "reject", "icmp", icmpType: 8),
        })
        {
            await bed.Http.CreateAsync(Rules, rule);
        }

        // Allowed both ways, and the replies of what the inside opened come back.
        var inbound = await TcpTransfer.RunAsync(t.Inside.Namespace, t.Inside.Ip, t.Outside.Namespace, 2 << 20, port: 5201);
        Assert.True(inbound.Intact, $"{hook}: the allowed inbound transfer arrived damaged\n--- hoverd ---\n{bed.Hover.Output}");
        var outbound = await TcpTransfer.RunAsync(t.Outside.Namespace, t.Outside.Ip, t.Inside.Namespace, 2 << 20, port: 5203);
        Assert.True(outbound.Intact, $"{hook}: the outbound transfer arrived damaged");
        var udp = await PeerReport.UdpAsync(t.Inside.Namespace, t.Inside.Ip, t.Outside.Namespace, t.Inside.Ip, 5301);
        Assert.Equal(t.Outside.Ip, udp.SeenAddress);
        var ping = await t.Inside.Namespace.PingAsync(t.Outside.Ip);
        Assert.True(ping.Succeeded, $"{hook}: the inside cannot ping out: {ping.Describe()}");

        // Refused: a reset at once, ICMP errors that the sockets and ping report.
        var (refused, took) = await TcpConnectProbe.ConnectAsync(t.Outside.Namespace, t.Inside.Ip, 5202, TimeSpan.FromSeconds(5));
        Assert.Equal(SocketError.ConnectionRefused, refused);
        Assert.True(took < TimeSpan.FromSeconds(1), $"the reset took {took.TotalMilliseconds:F0} ms");
        using (var sink = new UdpSink(t.Inside.Namespace, 5300))
        {
            Assert.Equal(SocketError.ConnectionRefused, await ClosedPortProbe.UdpAsync(t.Outside.Namespace, t.Inside.Ip, 5300));
            Assert.Empty(sink.Received);
        }
        var refusedPing = await t.Outside.Namespace.PingAsync(t.Inside.Ip, count: 1);
        Assert.Contains("Packet filtered", refusedPing.Stdout, StringComparison.Ordinal);

        // Dropped: nothing comes back, not even from a port that listens.
        using (var listener = NetNsListener(t.Inside.Namespace, t.Inside.Ip, 5204))
        {
            var (dropped, _) = await TcpConnectProbe.ConnectAsync(t.Outside.Namespace, t.Inside.Ip, 5204, TimeSpan.FromSeconds(2));
            Assert.Equal(SocketError.TimedOut, dropped);
        }

        var rules = (await bed.Http.GetJsonAsync(Rules)).AsArray();
        foreach (var key in new[] { "out", "web-in", "udp-in", "ssh-refused", "udp-refused", "ping-refused" })
        {
            var rule = rules.Single(r => (string?)r!["key"] == key)!;
            Assert.True((long?)rule["hits"]!["packets"] > 0, $"rule {key} counted no packets: {rule.ToJsonString()}");
        }
        var connections = (await bed.Http.GetJsonAsync("modules/fw1/tables/connections/entries?direction=ingress")).AsArray();
        Assert.Contains(connections, c => (string?)c!["rule"] == "web-in" && (long?)c["dport"] == 5201);
        Assert.Contains(connections, c => (string?)c!["rule"] == "udp-in");
        var slowPath = (await bed.Http.GetJsonAsync("modules/fw1/stats"))["slowPath"]!.AsObject();
        Assert.True((long?)slowPath["punted.reject"] >= 3, slowPath.ToJsonString());
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Allow_related_lets_replies_in_while_unsolicited_traffic_stays_out(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await BuildAsync(bed, hook, 102, new JsonObject { ["defaultAction"] = "drop" });
        // Without a rule nothing but ARP crosses.
        Assert.False((await t.Inside.Namespace.PingAsync(t.Outside.Ip, count: 1, timeoutSeconds: 1)).Succeeded);
        await bed.Http.CreateAsync(Rules, Rule("out", 100, "egress", "allow-related"));

        var ping = await t.Inside.Namespace.PingAsync(t.Outside.Ip);
        Assert.True(ping.Succeeded, $"{hook}: echo replies did not come back: {ping.Describe()}\n--- hoverd ---\n{bed.Hover.Output}");
        var transfer = await TcpTransfer.RunAsync(t.Outside.Namespace, t.Outside.Ip, t.Inside.Namespace, 1 << 20, port: 5210);
        Assert.True(transfer.Intact, $"{hook}: the transfer the inside opened arrived damaged");
        var udp = await PeerReport.UdpAsync(t.Outside.Namespace, t.Outside.Ip, t.Inside.Namespace, t.Outside.Ip, 5310);
        Assert.Equal(t.Inside.Ip, udp.SeenAddress);

        Assert.False((await t.Outside.Namespace.PingAsync(t.Inside.Ip, count: 1, timeoutSeconds: 1)).Succeeded);
        using (var listener = NetNsListener(t.Inside.Namespace, t.Inside.Ip, 5211))
        {
            var (outcome, _) = await TcpConnectProbe.ConnectAsync(t.Outside.Namespace, t.Inside.Ip, 5211, TimeSpan.FromSeconds(2));
            Assert.Equal(SocketError.TimedOut, outcome);
        }
        using (var sink = new UdpSink(t.Inside.Namespace, 5311))
        {
            Assert.Null(await ClosedPortProbe.UdpAsync(t.Outside.Namespace, t.Inside.Ip, 5311));
            Assert.Empty(sink.Received);
        }
        var connections = (await bed.Http.GetJsonAsync("modules/fw1/tables/connections/entries")).AsArray();
        Assert.All(connections, c => Assert.Equal("egress", (string?)c!["direction"]));
        Assert.Contains(connections, c => (string?)c!["proto"] == "tcp" && (string?)c["state"] is "established" or "finWait" or "closed");
    }

    [Fact]
    public async Task Connection_tables_take_the_configured_size_keep_it_across_a_kill_9_and_are_resized_by_a_reload()
    {
        await using var bed = await TestBed.StartAsync();
        var t = await BuildAsync(bed, "tc", 104, new JsonObject { ["conntrack"] = new JsonObject { ["maxEntries"] = 2048 } });
        await bed.Http.CreateAsync(Rules, Rule("out", 100, "egress", "allow-related"));
        Assert.True((await t.Inside.Namespace.PingAsync(t.Outside.Ip)).Succeeded);
        Assert.Equal(2048, ConnectionTableSize(bed));
        Assert.Equal(2048, (int)(await bed.Http.GetJsonAsync("modules/fw1"))["config"]!["conntrack"]!["maxEntries"]!);

        // A restart reuses the pinned tables only at their size: the persisted config must give it.
        bed.Hover.KillHard();
        await bed.Hover.RestartAsync();
        Assert.Equal(2048, ConnectionTableSize(bed));
        Assert.NotEmpty((await bed.Http.GetJsonAsync("modules/fw1/tables/connections/entries")).AsArray());

        var resized = await bed.Http.SendAsync(HttpMethod.Patch, "modules/fw1", new JsonObject
        {
            ["config"] = new JsonObject { ["conntrack"] = new JsonObject { ["maxEntries"] = 4096 } },
        });
        Assert.True(resized.Status.IsSuccess(), resized.Describe());
        Assert.Equal(4096, ConnectionTableSize(bed));
        Assert.Single((await bed.Http.GetJsonAsync(Rules)).AsArray());
        Assert.True((await t.Inside.Namespace.PingAsync(t.Outside.Ip)).Succeeded);

        var tooSmall = await bed.Http.SendAsync(HttpMethod.Patch, "modules/fw1", new JsonObject
        {
            ["config"] = new JsonObject { ["conntrack"] = new JsonObject { ["maxEntries"] = 10 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, tooSmall.Status);
        Assert.True(tooSmall.Json?["errors"]?.AsObject().ContainsKey("config.conntrack.maxEntries"), tooSmall.Describe());
        Assert.Equal(4096, ConnectionTableSize(bed));
    }

    [Fact]
    public async Task Max_rules_sizes_the_rule_slots_refuses_a_larger_set_and_keeps_the_size_across_a_kill_9()
    {
        await using var bed = await TestBed.StartAsync();
        var t = await BuildAsync(bed, "tc", 105, new JsonObject { ["defaultAction"] = "drop", ["maxRules"] = 32 });
        Assert.Equal(64, MapSize(bed, "fw_rules"));
        Assert.Equal(128, MapSize(bed, "fw_live"));
        Assert.Equal(2 * 64 * 32, MapSize(bed, "fw_keys"));

        JsonArray Batch(int blocks)
        {
            var batch = new JsonArray(Rule("ping-in", 100, "ingress", "allow-related", "icmp", icmpType: 8));
            for (var i = 0; i < blocks; i++)
            {
                batch.Add(new JsonObject { ["key"] = $"block-{i}", ["priority"] = 200 + i, ["direction"] = "ingress", ["action"] = "drop", ["protocol"] = "tcp", ["dport"] = 1000 + i });
            }
            return batch;
        }
        var full = await bed.Http.SendAsync(HttpMethod.Put, Rules, Batch(31));
        Assert.True(full.Status == HttpStatusCode.OK, full.Describe());
        Assert.True((await t.Outside.Namespace.PingAsync(t.Inside.Ip)).Succeeded);

        (await bed.Http.SendAsync(HttpMethod.Put, Rules, Batch(32))).ExpectProblem(HttpStatusCode.BadRequest, "entries");
        (await bed.Http.SendAsync(HttpMethod.Post, Rules, Rule("one-more", 50, "egress", "drop"))).ExpectProblem(HttpStatusCode.BadRequest, "key");
        Assert.Equal(32, (await bed.Http.GetJsonAsync(Rules)).AsArray().Count);

        // A datapath whose keys' table has another size than this version gives it (an older one made
        // it of the largest size for every firewall) is adopted as it is: the classifier is rewritten
        // from the rules in the kernel.
        bed.Hover.KillHard();
        var keys = Path.Combine(bed.Hover.BpffsDir, "modules", "fw1", "fw_keys");
        File.Delete(keys);
        (await Shell.RunAsync("bpftool", "map", "create", keys, "type", "hash", "key", "20", "value", "16", "entries", "131072", "name", "fw_keys", "flags", "1"))
            .EnsureSuccess();
        await bed.Hover.RestartAsync();
        Assert.Equal(64, MapSize(bed, "fw_rules"));
        Assert.Equal(131072, MapSize(bed, "fw_keys"));
        Assert.Equal(32, (await bed.Http.GetJsonAsync(Rules)).AsArray().Count);
        Assert.True((await t.Outside.Namespace.PingAsync(t.Inside.Ip)).Succeeded);

        // Fewer slots than the rules in force: refused, and the firewall stays as it was.
        (await bed.Http.SendAsync(HttpMethod.Patch, "modules/fw1", new JsonObject { ["config"] = new JsonObject { ["maxRules"] = 16 } }))
            .ExpectProblem(HttpStatusCode.BadRequest, "config");
        Assert.Equal(64, MapSize(bed, "fw_rules"));
        Assert.Equal(32, (await bed.Http.GetJsonAsync(Rules)).AsArray().Count);
        var grown = await bed.Http.SendAsync(HttpMethod.Patch, "modules/fw1", new JsonObject { ["config"] = new JsonObject { ["maxRules"] = 64 } });
        Assert.True(grown.Status.IsSuccess(), grown.Describe());
        Assert.Equal(128, MapSize(bed, "fw_rules"));
        Assert.Equal(2 * 64 * 64, MapSize(bed, "fw_keys"));
        Assert.Equal(32, (await bed.Http.GetJsonAsync(Rules)).AsArray().Count);
        Assert.True((await t.Outside.Namespace.PingAsync(t.Inside.Ip)).Succeeded);
    }

    private static int MapSize(TestBed bed, string map)
    {
        using var pinned = IoVisor.Bpf.BpfMap.OpenPinned(Path.Combine(bed.Hover.BpffsDir, "modules", "fw1", map));
        return pinned.MaxEntries;
    }

    private static int ConnectionTableSize(TestBed bed) => MapSize(bed, "fw_ct");

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task A_batch_of_ten_thousand_rules_replaces_the_set_and_survives_a_restart(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await BuildAsync(bed, hook, 103, new JsonObject { ["defaultAction"] = "drop" });
        await bed.Http.CreateAsync(Rules, Rule("ping-in", 100, "ingress", "allow", "icmp", icmpType: 8));
        await bed.Http.CreateAsync(Rules, Rule("replies", 100, "egress", "allow"));
        Assert.True((await t.Outside.Namespace.PingAsync(t.Inside.Ip)).Succeeded);

        // 9,999 rules for addresses nobody here has, and the one that now matters: TCP in, no ping.
        var batch = new JsonArray();
        var random = new Random(103);
        for (var i = 0; i < 9_999; i++)
        {
            batch.Add(new JsonObject
            {
                ["key"] = $"block-{i}",
                ["priority"] = random.Next(1, 30000),
                ["direction"] = i % 2 == 0 ? "ingress" : "egress",
                ["action"] = "drop",
                ["src"] = $"172.{16 + random.Next(16)}.{random.Next(256)}.{random.Next(256)}",
                ["protocol"] = "tcp",
                ["dport"] = random.Next(1, 65536),
            });
        }
        batch.Add(Rule("web-in", 100, "ingress", "allow-related", "tcp", 5220));
        var took = Stopwatch.StartNew();
        var replaced = await bed.Http.SendAsync(HttpMethod.Put, Rules, batch);
        took.Stop();
        Assert.True(replaced.Status == HttpStatusCode.OK, $"{replaced.Status}: {replaced.Body[..Math.Min(500, replaced.Body.Length)]}\n--- hoverd ---\n{bed.Hover.Output}");
        Assert.Equal(10_000, replaced.Json!.AsArray().Count);
        Console.WriteLine($"{hook}: 10,000 rules replaced over REST in {took.ElapsedMilliseconds} ms");

        await AssertNewSetInForceAsync(bed, t, hook);

        bed.Hover.KillHard();
        var restarted = Stopwatch.StartNew();
        await bed.Hover.RestartAsync();
        Console.WriteLine($"{hook}: daemon back with 10,000 rules in {restarted.ElapsedMilliseconds} ms");
        await AssertNewSetInForceAsync(bed, t, hook);
    }

    private static async Task AssertNewSetInForceAsync(TestBed bed, Topology t, string hook)
    {
        var listed = (await bed.Http.GetJsonAsync(Rules)).AsArray();
        Assert.Equal(10_000, listed.Count);
        Assert.DoesNotContain(listed, r => (string?)r!["key"] is "ping-in" or "replies");
        Assert.False((await t.Outside.Namespace.PingAsync(t.Inside.Ip, count: 1, timeoutSeconds: 1)).Succeeded, $"{hook}: ping still allowed");
        var transfer = await TcpTransfer.RunAsync(t.Inside.Namespace, t.Inside.Ip, t.Outside.Namespace, 1 << 20, port: 5220);
        Assert.True(transfer.Intact, $"{hook}: the transfer the new set allows arrived damaged\n--- hoverd ---\n{bed.Hover.Output}");
    }

    [Fact]
    public async Task Bad_firewall_input_is_refused_and_changes_nothing()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateModuleAsync("fw1", "firewall", "tc");
        await bed.Http.AddPortAsync("fw1", "in", new JsonObject { ["role"] = "inside" });
        await bed.Http.CreateModuleAsync("r1", "router", "tc");
        await bed.Http.CreateAsync(Rules, Rule("web", 100, "ingress", "allow", "tcp", 80));
        await bed.Http.CreateAsync(Rules, Rule("dns", 90, "egress", "allow", "udp", 53));
        var before = await bed.Http.SnapshotGraphAsync();
        var rulesBefore = (await bed.Http.GetJsonAsync(Rules)).ToJsonString();

        var good = Rule("ok", 1, "ingress", "allow");
        var cases = new (string Path, HttpMethod Method, JsonNode? Body, HttpStatusCode Status, string Field)[]
        {
            (Rules, HttpMethod.Post, new JsonObject { ["priority"] = 1, ["direction"] = "ingress", ["action"] = "allow", ["src"] = "10.0.0.1/24" }, HttpStatusCode.BadRequest, "src"),
            (Rules, HttpMethod.Post, new JsonObject { ["priority"] = 1, ["direction"] = "ingress", ["action"] = "allow", ["dport"] = 80 }, HttpStatusCode.BadRequest, "dport"),
            (Rules, HttpMethod.Post, Rule("web", 5, "ingress", "drop"), HttpStatusCode.BadRequest, "key"),
            ($"{Rules}/web", HttpMethod.Put, Rule("other", 5, "ingress", "drop"), HttpStatusCode.BadRequest, "key"),
            (Rules, HttpMethod.Put, new JsonArray(good.DeepClone(), Rule("a", 1, "ingress", "allow"), Rule("b", 1, "ingress", "allow"),
                new JsonObject { ["key"] = "c", ["priority"] = 1, ["direction"] = "ingress", ["action"] = "allow", ["protocol"] = "tcp", ["dport"] = "9-1" }),
                HttpStatusCode.BadRequest, "entries[3].dport"),
            (Rules, HttpMethod.Put, new JsonArray(good.DeepClone(), good.DeepClone()), HttpStatusCode.BadRequest, "entries[1].key"),
            (Rules, HttpMethod.Put, new JsonArray(good.DeepClone(), JsonValue.Create(7)), HttpStatusCode.BadRequest, "entries[1]"),
            ("modules/r1/tables/routes/entries", HttpMethod.Put, new JsonArray(), HttpStatusCode.BadRequest, "table"),
            ("modules/fw1/tables/connections/entries", HttpMethod.Put, new JsonArray(), HttpStatusCode.Conflict, "table"),
            ("modules/fw1", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["defaultAction"] = "reject" } }, HttpStatusCode.BadRequest, "config.defaultAction"),
            ("modules/fw1/ports", HttpMethod.Post, new JsonObject { ["name"] = "in2", ["config"] = new JsonObject { ["role"] = "inside" } }, HttpStatusCode.BadRequest, "config.role"),
            ("modules/fw1/ports", HttpMethod.Post, new JsonObject { ["name"] = "x", ["config"] = new JsonObject { ["role"] = "dmz" } }, HttpStatusCode.BadRequest, "config.role"),
        };
        foreach (var (path, method, body, status, field) in cases)
        {
            (await bed.Http.SendAsync(method, path, body)).ExpectProblem(status, field);
        }
        (await bed.Http.SendRawAsync(HttpMethod.Put, Rules, """{"key":"not-an-array"}""")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(before.ToJsonString(), (await bed.Http.SnapshotGraphAsync()).ToJsonString());
        Assert.Equal(rulesBefore, (await bed.Http.GetJsonAsync(Rules)).ToJsonString());
        Assert.Equal("ok", (string?)(await bed.Http.GetJsonAsync("health"))["status"]);
    }

    /// <summary>A TCP listener inside a namespace that never accepts: a SYN that arrives gets a SYN-ACK.</summary>
    private static Socket NetNsListener(NetworkNamespace ns, string ip, int port) => IoVisor.Bpf.NetNs.Run(ns.Name, () =>
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Parse(ip), port));
        s.Listen(4);
        return s;
    });
}
