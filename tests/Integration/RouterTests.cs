using System.Net;
using System.Text.Json.Nodes;
using IoVisor.Integration.Tests.Harness;
using Xunit;

namespace IoVisor.Integration.Tests;

/// <summary>
/// Hosts in two subnets reach each other through the router with empty neighbour caches: the
/// router answers ARP for its addresses, resolves next hops itself and holds the first packets
/// of a flow while it does. ICMP errors come back for TTL expiry, unknown networks and next hops
/// that never answer.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class RouterTests
{
    [Theory]
    [InlineData("tc", false)]
    [InlineData("xdp", false)]
    [InlineData("tc", true)]
    [InlineData("xdp", true)]
    public async Task Hosts_in_two_subnets_ping_and_transfer_with_empty_neighbour_caches(string hook, bool throughBridges)
    {
        await using var bed = await TestBed.StartAsync();
        var net = throughBridges ? 83 : 82;
        var t = await RouterTopology.BuildAsync(bed, hook, net, throughBridges);
        foreach (var host in new[] { t.Left, t.Right })
        {
            var neigh = await host.Namespace.ExecCheckedAsync("ip", "neigh", "show");
            Assert.True(string.IsNullOrWhiteSpace(neigh.Stdout), $"neighbour cache not empty at start: {neigh.Stdout}");
        }

        var ping = await t.Left.Namespace.ExecAsync("ping", "-n", "-c", "3", "-i", "0.2", "-W", "3", t.Right.Ip);
        Assert.True(ping.Succeeded, $"{hook}: {ping.Describe()}\n--- hoverd ---\n{bed.Hover.Output}");
        Assert.True(ping.Stdout.Contains("icmp_seq=1 ", StringComparison.Ordinal),
            $"{hook}: the first echo request was lost instead of held: {ping.Stdout}");
        Assert.Equal(0, PingStatistics.Parse(ping.Stdout).LossPercent);

        var transfer = await TcpTransfer.RunAsync(t.Right.Namespace, t.Right.Ip, t.Left.Namespace, 4 << 20);
        Assert.True(transfer.Intact, $"{hook}: TCP transfer of {transfer.Bytes} bytes arrived damaged");

        var arp = (await bed.Http.GetJsonAsync("modules/r1/tables/arp/entries")).AsArray();
        foreach (var host in new[] { t.Left, t.Right })
        {
            Assert.Contains(arp, e => (string?)e?["address"] == host.Ip
                && string.Equals((string?)e?["mac"], host.Mac, StringComparison.OrdinalIgnoreCase) && (bool?)e?["static"] == false);
        }
        var slowPath = (await bed.Http.GetJsonAsync("modules/r1/stats"))["slowPath"]!.AsObject();
        Assert.True((long?)slowPath["held"] >= 1 && (long?)slowPath["released"] >= 1, $"nothing held and released: {slowPath.ToJsonString()}");
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Icmp_errors_for_ttl_expiry_unknown_networks_and_silent_next_hops(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await RouterTopology.BuildAsync(bed, hook, 84, throughBridges: false,
            new JsonObject { ["arpRetries"] = 2, ["arpRetryIntervalMs"] = 500 });
        var router = $"{t.LeftNet}.1";

        var ttl = await t.Left.Namespace.ExecAsync("ping", "-n", "-c", "1", "-t", "1", "-W", "2", t.Right.Ip);
        Assert.Contains($"From {router} icmp_seq=1 Time to live exceeded", ttl.Stdout, StringComparison.Ordinal);

        var unknown = await t.Left.Namespace.ExecAsync("ping", "-n", "-c", "1", "-W", "2", "10.250.0.1");
        Assert.Contains($"From {router} icmp_seq=1 Destination Net Unreachable", unknown.Stdout, StringComparison.Ordinal);

        // 10.84.2.99 exists nowhere: ARP is tried 1 + 2 times, 0.5 s apart, then the held packet bounces.
        await bed.Http.CreateAsync("modules/r1/tables/routes/entries", new JsonObject { ["prefix"] = "10.199.0.0/16", ["nextHop"] = $"{t.RightNet}.99" });
        var silent = await t.Left.Namespace.ExecAsync("ping", "-n", "-c", "1", "-W", "5", "10.199.0.1");
        Assert.Contains($"From {router} icmp_seq=1 Destination Host Unreachable", silent.Stdout, StringComparison.Ordinal);

        var echo = await t.Left.Namespace.ExecAsync("ping", "-n", "-c", "1", "-W", "2", $"{t.RightNet}.1");
        Assert.True(echo.Succeeded, $"the router's far address does not answer ping: {echo.Describe()}");

        var slowPath = (await bed.Http.GetJsonAsync("modules/r1/stats"))["slowPath"]!.AsObject();
        Assert.True((long?)slowPath["punted.ttlExceeded"] >= 1, slowPath.ToJsonString());
        Assert.True((long?)slowPath["punted.noRoute"] >= 1, slowPath.ToJsonString());
        Assert.True((long?)slowPath["dropped.unresolved"] >= 1, slowPath.ToJsonString());
    }

    [Fact]
    public async Task Static_routes_choose_the_longest_prefix_and_follow_port_changes()
    {
        await using var bed = await TestBed.StartAsync();
        var t = await RouterTopology.BuildAsync(bed, "tc", 85, throughBridges: false);
        // The right host also owns 10.185.5.5, reachable only through a static route via itself.
        await t.Right.Namespace.ExecCheckedAsync("ip", "addr", "add", "10.185.5.5/32", "dev", "eth0");
        await bed.Http.CreateAsync("modules/r1/tables/routes/entries", new JsonObject { ["prefix"] = "10.185.0.0/16", ["nextHop"] = "10.85.1.99" });
        await bed.Http.CreateAsync("modules/r1/tables/routes/entries", new JsonObject { ["prefix"] = "10.185.5.0/24", ["nextHop"] = t.Right.Ip });

        var ping = await t.Left.Namespace.ExecAsync("ping", "-n", "-c", "2", "-W", "3", "10.185.5.5");
        Assert.True(ping.Succeeded, $"the /24 via the right host did not win over the /16: {ping.Describe()}");

        var routes = (await bed.Http.GetJsonAsync("modules/r1/tables/routes/entries")).AsArray();
        Assert.Contains(routes, r => (string?)r?["prefix"] == "10.85.2.0/24" && (string?)r?["type"] == "connected" && (string?)r?["port"] == "p2");
        Assert.Contains(routes, r => (string?)r?["prefix"] == "10.85.2.1/32" && (string?)r?["type"] == "local" && (string?)r?["port"] == "p2");
        Assert.Contains(routes, r => (string?)r?["prefix"] == "10.185.5.0/24" && (string?)r?["port"] == "p2" && (bool?)r?["active"] == true);

        // Renumbering p2 leaves the next hop on no connected network: the route stays, inactive.
        (await bed.Http.SendAsync(HttpMethod.Patch, "modules/r1/ports/p2", new JsonObject { ["config"] = RouterTopology.RouterPort("10.86.2.1/24") }))
            .Expect(HttpStatusCode.OK);
        var route = await bed.Http.GetJsonAsync("modules/r1/tables/routes/entries/10.185.5.0%2F24");
        Assert.Equal(false, (bool?)route["active"]);
        var renumbered = (await bed.Http.GetJsonAsync("modules/r1/tables/routes/entries")).AsArray();
        Assert.DoesNotContain(renumbered, r => (string?)r?["prefix"] == "10.85.2.1/32");
        Assert.Contains(renumbered, r => (string?)r?["prefix"] == "10.86.2.1/32" && (string?)r?["type"] == "local" && (string?)r?["port"] == "p2");
    }

    [Fact]
    public async Task A_persisted_route_this_version_refuses_is_left_out_at_restart_and_the_rest_restored()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateModuleAsync("r1", "router", "tc");
        await bed.Http.AddPortAsync("r1", "p1", RouterTopology.RouterPort("10.89.1.1/24"));
        await bed.Http.CreateAsync("modules/r1/tables/routes/entries", new JsonObject { ["prefix"] = "10.89.2.0/24", ["nextHop"] = "10.89.1.5" });

        // Before local routes, a static route to the router's own address was taken; now it is refused.
        Assert.Equal(0, await bed.Hover.StopGracefullyAsync());
        var graphJson = Path.Combine(bed.Hover.StateDir, "graph.json");
        var graph = JsonNode.Parse(await File.ReadAllTextAsync(graphJson))!;
        var routes = graph["modules"]!.AsArray().Single(m => (string?)m!["name"] == "r1")!["entries"]!["routes"]!.AsObject();
        var old = routes["10.89.2.0/24"]!.DeepClone().AsObject();
        old["prefix"] = "10.89.1.1/32";
        routes["10.89.1.1/32"] = old;
        await File.WriteAllTextAsync(graphJson, graph.ToJsonString());

        await bed.Hover.RestartAsync();
        var restored = (await bed.Http.GetJsonAsync("modules/r1/tables/routes/entries")).AsArray();
        Assert.Contains(restored, r => (string?)r?["prefix"] == "10.89.2.0/24" && (string?)r?["type"] == "static");
        Assert.Contains(restored, r => (string?)r?["prefix"] == "10.89.1.1/32" && (string?)r?["type"] == "local");
        Assert.Contains("Entry 10.89.1.1/32 of table routes of module r1 not restored", bed.Hover.Output, StringComparison.Ordinal);
        // Forgotten, not carried along: the state no longer holds it.
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(graphJson))!;
        Assert.Null(saved["modules"]!.AsArray().Single(m => (string?)m!["name"] == "r1")!["entries"]!["routes"]!["10.89.1.1/32"]);
    }

    [Fact]
    public async Task Bad_router_input_is_refused_and_changes_nothing()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateModuleAsync("r1", "router", "tc");
        await bed.Http.AddPortAsync("r1", "p1", RouterTopology.RouterPort("10.87.1.1/24"));
        await bed.Http.CreateAsync("modules/r1/tables/routes/entries", new JsonObject { ["prefix"] = "10.87.2.5/32", ["nextHop"] = "10.87.1.5" });
        var before = await bed.Http.SnapshotGraphAsync();
        var routesBefore = (await bed.Http.GetJsonAsync("modules/r1/tables/routes/entries")).ToJsonString();

        var cases = new (string Path, HttpMethod Method, JsonNode? Body, string Field)[]
        {
            ("modules/r1/ports", HttpMethod.Post, new JsonObject { ["name"] = "p2", ["config"] = RouterTopology.RouterPort("10.87.1.200/25") }, "config.addresses[0]"),
            ("modules/r1/ports", HttpMethod.Post, new JsonObject { ["name"] = "p2", ["config"] = RouterTopology.RouterPort("10.87.9.0/24") }, "config.addresses[0]"),
            ("modules/r1/ports", HttpMethod.Post, new JsonObject { ["name"] = "p2", ["config"] = RouterTopology.RouterPort("10.87.9.1/33") }, "config.addresses[0]"),
            ("modules/r1/ports", HttpMethod.Post, new JsonObject { ["name"] = "p2", ["config"] = RouterTopology.RouterPort("10.88.0.1/24", "10.88.0.2/16") }, "config.addresses[1]"),
            ("modules/r1/ports", HttpMethod.Post, new JsonObject { ["name"] = "p2", ["config"] = new JsonObject { ["mac"] = "ff:ff:ff:ff:ff:ff" } }, "config.mac"),
            // The address's local route would take the key of the static /32.
            ("modules/r1/ports", HttpMethod.Post, new JsonObject { ["name"] = "p2", ["config"] = RouterTopology.RouterPort("10.87.2.5/24") }, "config.addresses[0]"),
            ("modules/r1/tables/routes/entries", HttpMethod.Post, new JsonObject { ["prefix"] = "10.200.0.0/16", ["nextHop"] = "10.99.0.1" }, "nextHop"),
            ("modules/r1/tables/routes/entries", HttpMethod.Post, new JsonObject { ["prefix"] = "10.200.1.0/16", ["nextHop"] = "10.87.1.5" }, "prefix"),
            ("modules/r1/tables/routes/entries", HttpMethod.Post, new JsonObject { ["prefix"] = "10.200.0.0", ["nextHop"] = "10.87.1.5" }, "prefix"),
            ("modules/r1/tables/routes/entries", HttpMethod.Post, new JsonObject { ["prefix"] = "10.87.1.0/24", ["nextHop"] = "10.87.1.5" }, "prefix"),
            ("modules/r1/tables/routes/entries", HttpMethod.Post, new JsonObject { ["prefix"] = "10.200.0.0/16" }, "nextHop"),
            ("modules/r1/tables/routes/entries", HttpMethod.Post, new JsonObject { ["prefix"] = "10.200.0.0/16", ["nextHop"] = "10.87.1.1" }, "nextHop"),
            ("modules/r1/tables/routes/entries", HttpMethod.Post, new JsonObject { ["prefix"] = "10.87.1.1/32", ["nextHop"] = "10.87.1.5" }, "prefix"),
            ("modules/r1/tables/routes/entries", HttpMethod.Post, new JsonObject { ["prefix"] = "10.87.3.0/24", ["port"] = "p1", ["type"] = "local" }, "type"),
            ("modules/r1/tables/routes/entries/10.87.1.1%2F32", HttpMethod.Put, new JsonObject { ["port"] = "p1" }, "prefix"),
            ("modules/r1/tables/routes/entries/10.87.1.1%2F32", HttpMethod.Delete, null, "key"),
            ("modules/r1/tables/routes/entries/10.87.1.0%2F24", HttpMethod.Delete, null, "key"),
            ("modules/r1/tables/arp/entries", HttpMethod.Post, new JsonObject { ["address"] = "10.87.1.9", ["mac"] = "01:00:5e:00:00:01" }, "mac"),
            ("modules/r1", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["holdQueueLength"] = 0 } }, "config.holdQueueLength"),
        };
        foreach (var (path, method, body, field) in cases)
        {
            var response = await bed.Http.SendAsync(method, path, body);
            response.ExpectProblem(HttpStatusCode.BadRequest, field);
        }
        Assert.Equal(before.ToJsonString(), (await bed.Http.SnapshotGraphAsync()).ToJsonString());
        Assert.Equal(routesBefore, (await bed.Http.GetJsonAsync("modules/r1/tables/routes/entries")).ToJsonString());
        Assert.Equal("ok", (string?)(await bed.Http.GetJsonAsync("health"))["status"]);
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Routing_survives_kill_9_and_the_restarted_daemon_keeps_routes_and_neighbours(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await RouterTopology.BuildAsync(bed, hook, 88, throughBridges: true);
        await bed.Http.CreateAsync("modules/r1/tables/routes/entries", new JsonObject { ["prefix"] = "10.188.0.0/16", ["nextHop"] = t.Right.Ip });
        var warmUp = await t.Left.PingAsync(t.Right);
        Assert.True(warmUp.Succeeded, $"no routing before the kill: {warmUp.Describe()}\n{bed.Hover.Output}");
        var before = await RoutingStateAsync(bed.Http);

        using var ping = t.Left.Namespace.StartInBackground("ping", "-n", "-i", "0.05", "-w", "8", t.Right.Ip);
        await Task.Delay(TimeSpan.FromSeconds(1));
        bed.Hover.KillHard();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await bed.Hover.RestartAsync();
        var stats = PingStatistics.Parse((await ping.WaitAsync(TimeSpan.FromSeconds(30))).Stdout);
        Assert.True(stats.Transmitted > 50 && stats.LossPercent < 10,
            $"{stats.LossPercent:F1}% of {stats.Transmitted} lost across kill -9 and restart\n--- hoverd ---\n{bed.Hover.Output}");

        var after = await RoutingStateAsync(bed.Http);
        Assert.True(JsonNode.DeepEquals(before, after), $"routes or neighbours changed:\nbefore: {before.ToJsonString()}\nafter:  {after.ToJsonString()}");
    }

    /// <summary>Routes and ARP entries without their age, which moves with time.</summary>
    private static async Task<JsonObject> RoutingStateAsync(HttpClient http)
    {
        var arp = (await http.GetJsonAsync("modules/r1/tables/arp/entries")).AsArray()
            .Select(e => (JsonNode?)new JsonObject { ["address"] = e?["address"]?.DeepClone(), ["mac"] = e?["mac"]?.DeepClone(), ["port"] = e?["port"]?.DeepClone() })
            .ToArray();
        return new JsonObject
        {
            ["routes"] = await http.GetJsonAsync("modules/r1/tables/routes/entries"),
            ["arp"] = new JsonArray(arp),
        };
    }
}
