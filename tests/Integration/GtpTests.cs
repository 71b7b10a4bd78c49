using System.Net;
using System.Text.Json.Nodes;
using IoVisor.Integration.Tests.Harness;
using Xunit;

namespace IoVisor.Integration.Tests;

/// <summary>
/// Real GTP over UDP from a sender namespace through the GTP matcher to two receiver namespaces
/// (see <see cref="GtpTopology"/>): messages are steered by TEID, what no rule matches and what is
/// malformed is dropped and counted, rules changed over REST take effect at once, and the counters
/// over REST agree with what was sent.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class GtpTests
{
    private const uint TeidA = 0x1000a, TeidB = 0x2000b, TeidC = 0xc, TeidUnknown = 0xdead;

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Messages_reach_the_receiver_their_teid_names_and_the_rest_is_dropped_and_counted(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        await using var t = await GtpTopology.BuildAsync(bed, hook, 90);
        await AddRuleAsync(bed, 1, TeidA, null, "r1");
        await AddRuleAsync(bed, 1, TeidB, null, "r2");
        await AddRuleAsync(bed, 2, TeidC, GtpMessages.CreateSessionRequest, "r2");

        for (ushort i = 0; i < 20; i++)
        {
            await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidA, i));
        }
        for (ushort i = 0; i < 30; i++)
        {
            await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidB, i, payloadLength: 200));
        }
        for (uint i = 0; i < 5; i++)
        {
            await t.SendAsync(GtpMessages.PortC, GtpMessages.V2(GtpMessages.CreateSessionRequest, TeidC, i));
        }
        for (ushort i = 0; i < 7; i++)
        {
            await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidUnknown, i));
        }
        for (ushort i = 0; i < 4; i++)
        {
            await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidA, i, lengthDelta: 3));
        }

        await ReceivedAsync(t.Receiver1, 20, bed);
        await ReceivedAsync(t.Receiver2, 35, bed);
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // nothing else may arrive late
        Assert.Equal(Enumerable.Repeat(TeidA, 20), t.Receiver1.Received.Select(r => GtpMessages.TeidOf(r.Payload)));
        var atR2 = t.Receiver2.Received.ToList();
        Assert.Equal(30, atR2.Count(r => r.Port == GtpMessages.PortU && GtpMessages.TeidOf(r.Payload) == TeidB));
        Assert.Equal(5, atR2.Count(r => r.Port == GtpMessages.PortC && GtpMessages.TeidOf(r.Payload) == TeidC));
        Assert.Equal(35, atR2.Count);

        // Counters: each rule's packets, and bytes as frames on the wire (Ethernet + IPv4 + UDP + GTP).
        static long Frame(int message) => 14 + 20 + 8 + message;
        await AssertCounterAsync(bed, $"v1 teid 0x{TeidA:x} any", 20, 20 * Frame(GtpMessages.V1(TeidA, 0).Length));
        await AssertCounterAsync(bed, $"v1 teid 0x{TeidB:x} any", 30, 30 * Frame(GtpMessages.V1(TeidB, 0, payloadLength: 200).Length));
        await AssertCounterAsync(bed, $"v2 teid 0x{TeidC:x} type 32", 5, 5 * Frame(GtpMessages.V2(GtpMessages.CreateSessionRequest, TeidC, 0).Length));
        var status = await StatusAsync(bed);
        Assert.Equal(7, status["unmatched"]);
        Assert.Equal(4, status["malformed.length"]);
        Assert.Equal(4, status["malformed"]);
        Assert.Equal(57, status["gtpv1u"]);
        Assert.Equal(5, status["gtpv2c"]);

        var ports = (await bed.Http.GetJsonAsync("modules/g1/stats"))["ports"]!.AsArray();
        var rx = ports.Single(p => (string?)p!["port"] == "in")!;
        Assert.True((long?)rx["drops"] >= 11, rx.ToJsonString());
        Assert.Equal(20, (long?)ports.Single(p => (string?)p!["port"] == "r1")!["txPackets"]);
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Rules_and_the_default_action_changed_over_rest_take_effect_at_once(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        await using var t = await GtpTopology.BuildAsync(bed, hook, 91);

        // No rule: dropped by default.
        await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidA, 1));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Empty(t.Receiver1.Received);
        Assert.Empty(t.Receiver2.Received);

        await AddRuleAsync(bed, 1, TeidA, null, "r1");
        await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidA, 2));
        await ReceivedAsync(t.Receiver1, 1, bed);

        // Replaced in place (the match comes from the key): the rule keeps its counters and now steers to r2.
        var key = Uri.EscapeDataString($"v1 teid 0x{TeidA:x} any");
        (await bed.Http.SendAsync(HttpMethod.Put, $"modules/g1/tables/rules/entries/{key}",
            new JsonObject { ["action"] = "forward", ["port"] = "r2" })).Expect(HttpStatusCode.OK);
        await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidA, 3));
        await ReceivedAsync(t.Receiver2, 1, bed);
        await AssertCounterAsync(bed, $"v1 teid 0x{TeidA:x} any", 2, null);

        (await bed.Http.SendAsync(HttpMethod.Delete, $"modules/g1/tables/rules/entries/{key}")).Expect(HttpStatusCode.NoContent);
        await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidA, 4));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Single(t.Receiver1.Received);
        Assert.Single(t.Receiver2.Received);

        // Unmatched messages follow the default action: to r1, then to the slow path's punted table.
        (await bed.Http.SendAsync(HttpMethod.Patch, "modules/g1", new JsonObject
        {
            ["config"] = new JsonObject { ["defaultAction"] = new JsonObject { ["action"] = "forward", ["port"] = "r1" } },
        })).Expect(HttpStatusCode.OK);
        await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidUnknown, 5));
        await ReceivedAsync(t.Receiver1, 2, bed);

        (await bed.Http.SendAsync(HttpMethod.Patch, "modules/g1", new JsonObject
        {
            ["config"] = new JsonObject { ["defaultAction"] = new JsonObject { ["action"] = "punt" } },
        })).Expect(HttpStatusCode.OK);
        await t.SendAsync(GtpMessages.PortC, GtpMessages.V2(GtpMessages.CreateSessionRequest, TeidUnknown, 0x123));
        var punted = await PuntedAsync(bed, 1);
        var record = punted[0]!;
        Assert.Equal("in", (string?)record["port"]);
        Assert.Equal("unmatched", (string?)record["reason"]);
        Assert.Equal(2, (int?)record["version"]);
        Assert.Equal(GtpMessages.CreateSessionRequest, (int?)record["messageType"]);
        Assert.Equal(TeidUnknown, (uint?)record["teid"]);
        Assert.Equal(0x123u, (uint?)record["sequence"]);
        Assert.Equal(t.Sender.Ip, (string?)record["source"]);
        Assert.Equal(t.EndpointAddress, (string?)record["destination"]);
        Assert.Equal(GtpMessages.PortC, (int?)record["destinationPort"]);
        var slowPath = (await bed.Http.GetJsonAsync("modules/g1/stats"))["slowPath"]!.AsObject();
        Assert.Equal(1, (long?)slowPath["punted.unmatched"]);
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Steering_rules_and_counters_survive_kill_9_and_restart(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        await using var t = await GtpTopology.BuildAsync(bed, hook, 92);
        await AddRuleAsync(bed, 1, TeidA, null, "r1");
        for (ushort i = 0; i < 3; i++)
        {
            await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidA, i));
        }
        await ReceivedAsync(t.Receiver1, 3, bed);
        var rules = (await bed.Http.GetJsonAsync("modules/g1/tables/rules/entries")).ToJsonString();

        bed.Hover.KillHard();
        // The datapath keeps steering while no daemon runs.
        await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidA, 3));
        await ReceivedAsync(t.Receiver1, 4, bed);
        await bed.Hover.RestartAsync();

        Assert.Equal(rules, (await bed.Http.GetJsonAsync("modules/g1/tables/rules/entries")).ToJsonString());
        await AssertCounterAsync(bed, $"v1 teid 0x{TeidA:x} any", 4, null);
        await t.SendAsync(GtpMessages.PortU, GtpMessages.V1(TeidA, 4));
        await ReceivedAsync(t.Receiver1, 5, bed);
        await AssertCounterAsync(bed, $"v1 teid 0x{TeidA:x} any", 5, null);
    }

    [Fact]
    public async Task Bad_gtp_input_is_refused_with_the_field_and_changes_nothing()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateModuleAsync("g1", "gtp", "tc");
        await bed.Http.AddPortAsync("g1", "p1");
        await AddRuleAsync(bed, 1, TeidA, null, "p1");
        var before = await bed.Http.SnapshotGraphAsync();
        var rulesBefore = (await bed.Http.GetJsonAsync("modules/g1/tables/rules/entries")).ToJsonString();

        var rules = "modules/g1/tables/rules/entries";
        var cases = new (string Path, HttpMethod Method, JsonNode? Body, string Field)[]
        {
            (rules, HttpMethod.Post, Rule(3, 1, "drop"), "version"),
            (rules, HttpMethod.Post, Rule(1, "none", "drop"), "teid"),
            (rules, HttpMethod.Post, Rule(2, 4294967296, "drop"), "teid"),
            (rules, HttpMethod.Post, new JsonObject { ["version"] = 2, ["teid"] = 1, ["messageType"] = 300, ["action"] = "drop" }, "messageType"),
            (rules, HttpMethod.Post, Rule(1, 1, "pass"), "action"),
            (rules, HttpMethod.Post, Rule(1, 1, "forward"), "port"),
            (rules, HttpMethod.Post, Rule(1, 1, "forward", "p9"), "port"),
            (rules, HttpMethod.Post, Rule(1, 1, "drop", "p1"), "port"),
            (rules + "/v1%20teid%200x2%20any", HttpMethod.Put, Rule(1, 1, "drop"), "key"),
            (rules + "/teid%201", HttpMethod.Delete, null, "key"),
            ("modules/g1/ports/p1", HttpMethod.Delete, null, "port"),
            ("modules/g1/ports", HttpMethod.Post, new JsonObject { ["name"] = "p2", ["config"] = new JsonObject { ["mac"] = "ff:ff:ff:ff:ff:ff" } }, "config.mac"),
            ("modules/g1", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["defaultAction"] = new JsonObject { ["action"] = "pass" } } }, "config.defaultAction.action"),
            ("modules/g1", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["nonGtp"] = new JsonObject { ["action"] = "forward" } } }, "config.nonGtp.port"),
            ("modules/g1", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["malformed"] = "keep" } }, "config.malformed"),
        };
        foreach (var (path, method, body, field) in cases)
        {
            (await bed.Http.SendAsync(method, path, body)).ExpectProblem(HttpStatusCode.BadRequest, field);
        }
        (await bed.Http.SendAsync(HttpMethod.Post, "modules/g1/tables/counters/entries", Rule(1, 1, "drop")))
            .ExpectProblem(HttpStatusCode.Conflict, "table");
        Assert.Equal(before.ToJsonString(), (await bed.Http.SnapshotGraphAsync()).ToJsonString());
        Assert.Equal(rulesBefore, (await bed.Http.GetJsonAsync("modules/g1/tables/rules/entries")).ToJsonString());
        Assert.Equal("ok", (string?)(await bed.Http.GetJsonAsync("health"))["status"]);
    }

    private static JsonObject Rule(int version, JsonNode teid, string action, string? port = null)
    {
        var rule = new JsonObject { ["version"] = version, ["teid"] = teid, ["action"] = action };
        if (port is not null)
        {
            rule["port"] = port;
        }
        return rule;
    }

    private static Task<JsonNode> AddRuleAsync(TestBed bed, int version, uint teid, byte? type, string port)
    {
        var rule = Rule(version, teid, "forward", port);
        if (type is { } t)
        {
            rule["messageType"] = t;
        }
        return bed.Http.CreateAsync("modules/g1/tables/rules/entries", rule);
    }

    private static async Task ReceivedAsync(UdpSink sink, int count, TestBed bed)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (sink.Received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.True(sink.Received.Count >= count,
            $"{sink.Received.Count} of {count} datagrams arrived\n--- hoverd ---\n{bed.Hover.Output}");
    }

    private static async Task AssertCounterAsync(TestBed bed, string rule, long packets, long? bytes)
    {
        var entry = await bed.Http.GetJsonAsync($"modules/g1/tables/counters/entries/{Uri.EscapeDataString(rule)}");
        Assert.Equal(packets, (long?)entry["packets"]);
        if (bytes is { } b)
        {
            Assert.Equal(b, (long?)entry["bytes"]);
        }
    }

    private static async Task<Dictionary<string, long>> StatusAsync(TestBed bed) =>
        (await bed.Http.GetJsonAsync("modules/g1/tables/status/entries")).AsArray()
            .ToDictionary(e => (string)e!["key"]!, e => (long)e!["packets"]!);

    private static async Task<JsonArray> PuntedAsync(TestBed bed, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var punted = (await bed.Http.GetJsonAsync("modules/g1/tables/punted/entries")).AsArray();
            if (punted.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.Equal(count, punted.Count);
                return punted;
            }
            await Task.Delay(50);
        }
    }
}
