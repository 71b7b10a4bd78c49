using System.Net;
using System.Text.Json.Nodes;
using IoVisor.Integration.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace IoVisor.Integration.Tests;

/// <summary>
/// The L4 load balancer with real TCP between namespaces (see <see cref="L4lbTopology"/>): the
/// spread of connections over weighted backends, open connections that live through pool changes
/// and through a kill -9 of the daemon, DSR with the VIP on the backends' loopback, bad input.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class L4lbTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Opens <paramref name="count"/> connections to the VIP, 32 at a time; how many each server took.</summary>
    private static async Task<Dictionary<string, int>> SpreadAsync(L4lbTopology t, int count)
    {
        using var cts = new CancellationTokenSource(Patience);
        using var gate = new SemaphoreSlim(32);
        var answers = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync(cts.Token);
            try
            {
                return await EchoConnection.WhoAnswersAsync(t.Client.Namespace, t.Vip, L4lbTopology.ServicePort, cts.Token);
            }
            finally
            {
                gate.Release();
            }
        }));
        return answers.CountBy(a => a).ToDictionary();
    }

    private static async Task<List<EchoConnection>> OpenAsync(L4lbTopology t, int count)
    {
        using var cts = new CancellationTokenSource(Patience);
        var open = new List<EchoConnection>();
        for (var i = 0; i < count; i++)
        {
            open.Add(await EchoConnection.OpenAsync(t.Client.Namespace, t.Vip, L4lbTopology.ServicePort, cts.Token));
        }
        return open;
    }

    private static async Task ExchangeAllAsync(IEnumerable<EchoConnection> connections, int bytes)
    {
        using var cts = new CancellationTokenSource(Patience);
        await Task.WhenAll(connections.Select(c => c.ExchangeAsync(bytes, cts.Token)));
    }

    private static async Task StopAsync(IEnumerable<NamedEchoServer> servers)
    {
        foreach (var s in servers)
        {
            await s.DisposeAsync();
        }
    }

    private static string Describe(Dictionary<string, int> spread) =>
        string.Join(", ", spread.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {s.Value}"));

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task A_thousand_connections_spread_over_the_backends_by_weight(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await L4lbTopology.BuildAsync(bed, hook, 61, backends: 3, "dnat");
        var servers = t.StartServers();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                (await t.PutBackendAsync(bed.Http, i, weight: 100 * i)).Expect(HttpStatusCode.OK);
            }
            var spread = await SpreadAsync(t, 1000);
            output.WriteLine($"{hook}: {Describe(spread)}");
            for (var i = 1; i <= 3; i++)
            {
                var expected = 1000.0 * i / 6;
                Assert.True(Math.Abs(spread.GetValueOrDefault($"b{i}") - expected) <= 60,
                    $"{hook}: b{i} (weight {100 * i} of 600) took {spread.GetValueOrDefault($"b{i}")} of 1000 connections, expected about {expected:F0}: {Describe(spread)}");
            }
            var service = await bed.Http.GetJsonAsync($"modules/lb1/tables/services/entries/{Uri.EscapeDataString(t.Service)}");
            Assert.Equal(3, (int?)service["usableBackends"]);
            Assert.True((long?)service["stats"]!["connections"] >= 1000, service.ToJsonString());
        }
        finally
        {
            await StopAsync(servers);
        }
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Open_connections_keep_working_while_a_backend_is_added_and_another_drained(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await L4lbTopology.BuildAsync(bed, hook, 62, backends: 4, "dnat");
        var servers = t.StartServers();
        var open = new List<EchoConnection>();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                (await t.PutBackendAsync(bed.Http, i, weight: 100)).Expect(HttpStatusCode.OK);
            }
            open = await OpenAsync(t, 20);
            await ExchangeAllAsync(open, 16 * 1024);
            var before = open.Select(c => c.Server).ToList();
            Assert.Contains("b1", before);

            (await t.PutBackendAsync(bed.Http, 4, weight: 100)).Expect(HttpStatusCode.OK);
            (await t.PutBackendAsync(bed.Http, 1, weight: 0)).Expect(HttpStatusCode.OK);

            await ExchangeAllAsync(open, 256 * 1024);
            var spread = await SpreadAsync(t, 200);
            output.WriteLine($"{hook}: open ones on {string.Join(",", before)}; new ones: {Describe(spread)}");
            Assert.DoesNotContain("b1", spread.Keys);
            Assert.Contains("b4", spread.Keys);
            await ExchangeAllAsync(open, 64 * 1024);

            var drained = await bed.Http.GetJsonAsync($"modules/lb1/tables/backends/entries/{Uri.EscapeDataString(t.BackendKey(1))}");
            Assert.Equal(0, (long?)drained["slots"]);
            var sessions = (await bed.Http.GetJsonAsync($"modules/lb1/tables/sessions/entries?backend={t.Backends[0].Ip}:80&state=established")).AsArray();
            Assert.Equal(before.Count(s => s == "b1"), sessions.Count);
        }
        finally
        {
            open.ForEach(c => c.Dispose());
            await StopAsync(servers);
        }
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Transfers_live_through_a_kill_9_of_the_daemon_and_their_sessions_are_listed_after_the_restart(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await L4lbTopology.BuildAsync(bed, hook, 63, backends: 3, "dnat");
        var servers = t.StartServers();
        var open = new List<EchoConnection>();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                (await t.PutBackendAsync(bed.Http, i, weight: 100)).Expect(HttpStatusCode.OK);
            }
            var tablesBefore = await TablesAsync(bed.Http);
            open = await OpenAsync(t, 10);
            using var cts = new CancellationTokenSource(Patience);
            var restarted = new TaskCompletionSource();
            // Each transfer echoes 64 KiB every 50 ms until 20 rounds after the daemon is back, so
            // that every one of them spans the kill, the dead time and the restart.
            var transfers = open.Select(async c =>
            {
                var rounds = 0;
                for (var after = 0; after < 20; after += restarted.Task.IsCompleted ? 1 : 0)
                {
                    await c.ExchangeAsync(64 * 1024, cts.Token);
                    await Task.Delay(50, cts.Token);
                    rounds++;
                }
                return rounds;
            }).ToList();
            await Task.Delay(TimeSpan.FromSeconds(1));
            bed.Hover.KillHard();
            await Task.Delay(TimeSpan.FromSeconds(1));
            await bed.Hover.RestartAsync();
            Assert.DoesNotContain(transfers, x => x.IsFaulted);
            restarted.SetResult();
            var rounds = await Task.WhenAll(transfers);
            output.WriteLine($"{hook}: {rounds.Sum()} rounds of 64 KiB echoed over {open.Count} connections across the kill and restart");

            var sessions = (await bed.Http.GetJsonAsync("modules/lb1/tables/sessions/entries")).AsArray();
            foreach (var c in open)
            {
                var key = $"tcp {t.Client.Ip}:{c.LocalPort} > {t.Vip}:{L4lbTopology.ServicePort}";
                var session = sessions.FirstOrDefault(s => (string?)s?["key"] == key);
                Assert.True(session is not null, $"{hook}: no session {key} after the restart: {sessions.ToJsonString()}");
                Assert.Equal("established", (string?)session!["state"]);
                Assert.Equal($"{t.Backends[int.Parse(c.Server[1..], System.Globalization.CultureInfo.InvariantCulture) - 1].Ip}:80", (string?)session["backend"]);
            }
            Assert.Equal(tablesBefore, await TablesAsync(bed.Http));
            var spread = await SpreadAsync(t, 30);
            Assert.Equal(30, spread.Values.Sum());
        }
        finally
        {
            open.ForEach(c => c.Dispose());
            await StopAsync(servers);
        }
    }

    /// <summary>The services and backends as configured (without the counters that move).</summary>
    private static async Task<string> TablesAsync(HttpClient http)
    {
        var services = (await http.GetJsonAsync("modules/lb1/tables/services/entries")).AsArray().Select(s =>
        {
            var copy = s!.DeepClone().AsObject();
            copy.Remove("stats");
            return copy;
        });
        var backends = await http.GetJsonAsync("modules/lb1/tables/backends/entries");
        return new JsonArray([.. services, backends.DeepClone()]).ToJsonString();
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Dsr_spreads_connections_to_backends_that_own_the_vip_and_answer_directly(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await L4lbTopology.BuildAsync(bed, hook, 64, backends: 3, "dsr");
        var servers = t.StartServers();
        var open = new List<EchoConnection>();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                (await t.PutBackendAsync(bed.Http, i, weight: 100)).Expect(HttpStatusCode.OK);
            }
            var spread = await SpreadAsync(t, 300);
            output.WriteLine($"{hook} dsr: {Describe(spread)}");
            for (var i = 1; i <= 3; i++)
            {
                Assert.True(spread.GetValueOrDefault($"b{i}") >= 50, $"{hook}: {Describe(spread)}");
            }
            open = await OpenAsync(t, 3);
            await ExchangeAllAsync(open, 1 << 20);
            var sessions = (await bed.Http.GetJsonAsync("modules/lb1/tables/sessions/entries?state=established")).AsArray();
            Assert.Equal(3, sessions.Count);
            Assert.All(sessions, s => Assert.Equal("dsr", (string?)s?["mode"]));
        }
        finally
        {
            open.ForEach(c => c.Dispose());
            await StopAsync(servers);
        }
    }

    [Fact]
    public async Task Bad_load_balancer_input_is_refused_and_changes_nothing()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateModuleAsync("lb1", "l4lb", "tc");
        await bed.Http.AddPortAsync("lb1", "front", new JsonObject { ["role"] = "front" });
        await bed.Http.AddPortAsync("lb1", "back", new JsonObject { ["role"] = "back" });
        const string web = "tcp 10.65.100.1:80", direct = "tcp 10.65.100.2:80";
        await bed.Http.CreateAsync("modules/lb1/tables/services/entries", new JsonObject { ["vip"] = "10.65.100.1", ["port"] = 80 });
        await bed.Http.CreateAsync("modules/lb1/tables/services/entries", new JsonObject { ["vip"] = "10.65.100.2", ["port"] = 80, ["mode"] = "dsr" });
        await bed.Http.CreateAsync("modules/lb1/tables/backends/entries", new JsonObject { ["service"] = web, ["address"] = "10.65.2.11" });
        var before = await bed.Http.SnapshotGraphAsync();
        var tablesBefore = await TablesAsync(bed.Http);

        static JsonObject Backend(string service, JsonObject? extra = null)
        {
            var b = new JsonObject { ["service"] = service, ["address"] = "10.65.2.12" };
            foreach (var (k, v) in extra ?? [])
            {
                b[k] = v?.DeepClone();
            }
            return b;
        }
        const string backends = "modules/lb1/tables/backends/entries", services = "modules/lb1/tables/services/entries";
        var cases = new (string Path, HttpMethod Method, JsonNode? Body, HttpStatusCode Status, string Field)[]
        {
            (backends, HttpMethod.Post, Backend("tcp 10.65.100.9:80"), HttpStatusCode.BadRequest, "service"),
            (backends, HttpMethod.Post, new JsonObject { ["address"] = "10.65.2.12" }, HttpStatusCode.BadRequest, "service"),
            (backends, HttpMethod.Post, Backend(web, new JsonObject { ["weight"] = 1001 }), HttpStatusCode.BadRequest, "weight"),
            (backends, HttpMethod.Post, Backend(web, new JsonObject { ["weight"] = -1 }), HttpStatusCode.BadRequest, "weight"),
            (backends, HttpMethod.Post, Backend(web, new JsonObject { ["weight"] = "heavy" }), HttpStatusCode.BadRequest, "weight"),
            (backends, HttpMethod.Post, Backend(web, new JsonObject { ["port"] = 0 }), HttpStatusCode.BadRequest, "port"),
            (backends, HttpMethod.Post, Backend(web, new JsonObject { ["port"] = 65536 }), HttpStatusCode.BadRequest, "port"),
            (backends, HttpMethod.Post, Backend(web, new JsonObject { ["address"] = "10.65.2" }), HttpStatusCode.BadRequest, "address"),
            (backends, HttpMethod.Post, Backend(direct), HttpStatusCode.BadRequest, "mac"),
            (services, HttpMethod.Post, new JsonObject { ["vip"] = "10.65.100.3" }, HttpStatusCode.BadRequest, "port"),
            (services, HttpMethod.Post, new JsonObject { ["vip"] = "10.65.100.3", ["port"] = 0 }, HttpStatusCode.BadRequest, "port"),
            (services, HttpMethod.Post, new JsonObject { ["vip"] = "10.65.100.3", ["port"] = 70000 }, HttpStatusCode.BadRequest, "port"),
            (services, HttpMethod.Post, new JsonObject { ["port"] = 80 }, HttpStatusCode.BadRequest, "vip"),
            (services, HttpMethod.Post, new JsonObject { ["vip"] = "10.65.100.3", ["port"] = 80, ["protocol"] = "sctp" }, HttpStatusCode.BadRequest, "protocol"),
            (services, HttpMethod.Put, new JsonObject { ["vip"] = "10.65.100.1", ["port"] = 80, ["mode"] = "dsr" }, HttpStatusCode.BadRequest, "mode"),
            ($"{services}/{Uri.EscapeDataString(web)}", HttpMethod.Delete, null, HttpStatusCode.BadRequest, "key"),
            ("modules", HttpMethod.Post, new JsonObject { ["name"] = "lb2", ["type"] = "l4lb", ["config"] = new JsonObject { ["maglevTableSize"] = 65536 } }, HttpStatusCode.BadRequest, "config.maglevTableSize"),
            ("modules/lb1", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["maglevTableSize"] = 100 } }, HttpStatusCode.BadRequest, "config.maglevTableSize"),
            ("modules/lb1/ports/back", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["role"] = "front" } }, HttpStatusCode.BadRequest, "config.role"),
            ("modules/lb1/ports", HttpMethod.Post, new JsonObject { ["name"] = "third", ["config"] = new JsonObject() }, HttpStatusCode.BadRequest, "config.role"),
            ("modules/lb1/tables/sessions/entries", HttpMethod.Post, new JsonObject(), HttpStatusCode.Conflict, "table"),
        };
        foreach (var (path, method, body, status, field) in cases)
        {
            var p = method == HttpMethod.Put ? $"{path}/{Uri.EscapeDataString(web)}" : path;
            (await bed.Http.SendAsync(method, p, body)).ExpectProblem(status, field);
        }
        Assert.Equal(before.ToJsonString(), (await bed.Http.SnapshotGraphAsync()).ToJsonString());
        Assert.Equal(tablesBefore, await TablesAsync(bed.Http));
        Assert.Equal("ok", (string?)(await bed.Http.GetJsonAsync("health"))["status"]);
    }
}
