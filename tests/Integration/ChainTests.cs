using System.Net;
using System.Text.Json.Nodes;
using IoVisor.Integration.Tests.Harness;
using Xunit;
using static IoVisor.Integration.Tests.Harness.ChainJson;

namespace IoVisor.Integration.Tests;

/// <summary>
/// POST /chains applies a whole graph as one change: real hoverd, real namespaces, real pings. Applying the
/// same spec again does nothing, a changed spec applies only the difference, and a spec that fails, in
/// validation or in the kernel half way through, leaves the API, graph.json and the kernel as they were.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class ChainTests
{
    [Fact]
    public async Task A_bridge_chain_connects_hosts_and_applying_it_again_changes_nothing()
    {
        await using var bed = await TestBed.StartAsync();
        var hosts = new[] { await bed.AddHostAsync("10.77.0.1/24"), await bed.AddHostAsync("10.77.0.2/24"), await bed.AddHostAsync("10.77.0.3/24") };
        var spec = Bridge("lab", "br1", "tc", hosts);

        var first = await ApplyAsync(bed, spec);
        Assert.Equal(
            ["create module br1", "create port br1:p1", "create port br1:p2", "create port br1:p3", "create link l1", "create link l2", "create link l3"],
            Changes(first));
        await AssertPingsAsync(bed, hosts[0], hosts[2]);
        await AssertPingsAsync(bed, hosts[1], hosts[0]);

        var stored = await File.ReadAllBytesAsync(GraphJson(bed));
        var savedAt = File.GetLastWriteTimeUtc(GraphJson(bed));
        var again = await ApplyAsync(bed, spec);
        Assert.Empty(Changes(again));
        var applied = await bed.Http.GetJsonAsync("chains/lab");
        Assert.Empty(Changes(await ApplyAsync(bed, applied)));
        Assert.Equal(stored, await File.ReadAllBytesAsync(GraphJson(bed)));
        Assert.Equal(savedAt, File.GetLastWriteTimeUtc(GraphJson(bed)));

        Assert.Equal("br1", (string?)applied["modules"]![0]!["name"]);
        Assert.Equal(300, (int?)applied["modules"]![0]!["config"]!["agingSeconds"]);
        var listed = (await bed.Http.GetJsonAsync("chains")).AsArray();
        Assert.Equal(["lab"], listed.Select(c => (string?)c!["name"]));
    }

    [Fact]
    public async Task A_changed_spec_applies_only_the_difference()
    {
        await using var bed = await TestBed.StartAsync();
        var hosts = new[] { await bed.AddHostAsync("10.77.0.1/24"), await bed.AddHostAsync("10.77.0.2/24"), await bed.AddHostAsync("10.77.0.3/24") };
        await ApplyAsync(bed, Bridge("lab", "br1", "xdp", hosts[..2]));
        await AssertPingsAsync(bed, hosts[0], hosts[1]);

        var grown = await ApplyAsync(bed, Bridge("lab", "br1", "xdp", hosts));

        Assert.Equal(["create port br1:p3", "create link l3"], Changes(grown));
        await AssertPingsAsync(bed, hosts[0], hosts[2]);
        await AssertPingsAsync(bed, hosts[1], hosts[0]);
    }

    [Fact]
    public async Task Entries_that_others_name_are_deleted_after_them()
    {
        await using var bed = await TestBed.StartAsync();
        JsonObject Spec(bool withService) => new()
        {
            ["name"] = "lb",
            ["modules"] = new JsonArray(new JsonObject { ["name"] = "lb1", ["type"] = "l4lb", ["hook"] = "tc", ["ports"] = new JsonArray() }),
            ["links"] = new JsonArray(),
            ["entries"] = withService
                ? new JsonArray(
                    new JsonObject { ["module"] = "lb1", ["table"] = "services", ["entry"] = new JsonObject { ["vip"] = "10.65.100.1", ["port"] = 80 } },
                    new JsonObject { ["module"] = "lb1", ["table"] = "backends", ["entry"] = new JsonObject { ["service"] = "tcp 10.65.100.1:80", ["address"] = "10.65.2.11" } })
                : new JsonArray(),
        };
        await ApplyAsync(bed, Spec(withService: true));
        Assert.Single((await bed.Http.GetJsonAsync("modules/lb1/tables/backends/entries")).AsArray());

        var emptied = await ApplyAsync(bed, Spec(withService: false));

        Assert.Equal(2, Changes(emptied).Count(c => c.StartsWith("delete entry", StringComparison.Ordinal)));
        Assert.Empty((await bed.Http.GetJsonAsync("modules/lb1/tables/services/entries")).AsArray());
        Assert.Empty((await bed.Http.GetJsonAsync("modules/lb1/tables/backends/entries")).AsArray());
    }

    [Fact]
    public async Task A_bad_entry_deep_inside_is_rejected_with_its_path_and_nothing_changes()
    {
        await using var bed = await TestBed.StartAsync();
        var hosts = new[] { await bed.AddHostAsync("10.77.0.1/24"), await bed.AddHostAsync("10.77.0.2/24") };
        await ApplyAsync(bed, Bridge("lab", "br1", "tc", hosts));
        var before = await SnapshotAsync(bed);

        // Everything but one entry is fine, so the daemon gets as far as writing entries before it finds it.
        var spec = Bridge("lab", "br1", "tc", hosts, agingSeconds: 60);
        spec["modules"]!.AsArray()[0]!["ports"]!.AsArray().Add(new JsonObject { ["name"] = "p3" });
        spec["modules"]!.AsArray().Add(Module("br2", "tc", 300, "q1", "q2"));
        spec["links"]!.AsArray().Add(Link("br1:p3", "br2:q1"));
        spec["entries"] = new JsonArray(
            FdbEntry("br1", "02:00:00:00:00:01", "p1"),
            FdbEntry("br2", "02:00:00:00:00:02", "q2"),
            FdbEntry("br2", "02:00:00:00:00:zz", "q2"));
        var rejected = await bed.Http.SendAsync(HttpMethod.Post, "chains", spec);
        AssertProblem(rejected, HttpStatusCode.BadRequest, "entries[2].entry.mac");

        // A spec with errors everywhere names all of them at once, before anything is touched.
        spec["modules"]!.AsArray()[1]!["ports"]!.AsArray()[0]!["config"] = new JsonObject { ["mode"] = "access", ["vlan"] = 5000 };
        spec["modules"]!.AsArray()[1]!["hook"] = "kprobe";
        spec["links"]!.AsArray().Add(Link("br2:q9", "netdev:lo"));
        var invalid = await bed.Http.SendAsync(HttpMethod.Post, "chains", spec);
        foreach (var field in new[] { "modules[1].ports[0].config.vlan", "modules[1].hook", "links[3].from" })
        {
            AssertProblem(invalid, HttpStatusCode.BadRequest, field);
        }

        await AssertUnchangedAsync(bed, before);
        await AssertPingsAsync(bed, hosts[0], hosts[1]);
    }

    [Fact]
    public async Task A_kernel_refusal_half_way_through_takes_every_step_back()
    {
        await using var bed = await TestBed.StartAsync();
        var hosts = new[] { await bed.AddHostAsync("10.77.0.1/24"), await bed.AddHostAsync("10.77.0.2/24"), await bed.AddHostAsync("10.77.0.3/24") };
        await ApplyAsync(bed, Bridge("lab", "br1", "xdp", hosts[..2]));

        // The kernel refuses XDP on an interface whose upper device (here a macvlan) has an XDP program:
        // give host 3's veth such an upper and let hoverd itself put the program there.
        var upper = "mv" + RandomHex.Next(8);
        await Shell.RunCheckedAsync("ip", "link", "add", upper, "link", hosts[2].Veth.HostName, "type", "macvlan");
        await bed.Http.CreateBridgeAsync("guard", "xdp");
        await bed.Http.AddPortAsync("guard", "g1");
        await bed.Http.LinkAsync("guard:g1", $"netdev:{upper}");
        var before = await SnapshotAsync(bed);

        // Config change, a new module, new ports, an entry, then links: the last one is refused.
        var spec = Bridge("lab", "br1", "xdp", hosts, agingSeconds: 60);
        spec["modules"]!.AsArray().Add(Module("br2", "xdp", 300, "q1"));
        spec["links"] = new JsonArray(
            Link("br1:p1", hosts[0].Veth.NetdevRef),
            Link("br1:p2", hosts[1].Veth.NetdevRef),
            Link("br2:q1", "br1:p4"),
            Link("br1:p3", hosts[2].Veth.NetdevRef));
        spec["modules"]!.AsArray()[0]!["ports"]!.AsArray().Add(new JsonObject { ["name"] = "p4" });
        spec["entries"] = new JsonArray(FdbEntry("br1", "02:00:00:00:00:01", "p4"));
        var refused = await bed.Http.SendAsync(HttpMethod.Post, "chains", spec);

        Assert.True(refused.Status == HttpStatusCode.InternalServerError && refused.MediaType == "application/problem+json",
            $"expected the kernel's refusal as a 500 problem: {refused.Describe()}");
        Assert.Contains("bpf_xdp_attach", (string?)refused.Json?["operation"], StringComparison.Ordinal);
        await AssertUnchangedAsync(bed, before);
        Assert.False(await NetdevAttachments.HasXdpAsync(hosts[2].Veth.HostName), "host 3's veth kept an XDP program");
        Assert.True(await NetdevAttachments.HasXdpAsync(hosts[1].Veth.HostName), "host 2's veth lost its XDP program");
        await AssertPingsAsync(bed, hosts[0], hosts[1]);
    }

    [Fact]
    public async Task A_firewalls_rules_go_in_force_as_one_set_and_a_failure_after_them_takes_them_back()
    {
        await using var bed = await TestBed.StartAsync();
        var hosts = new[] { await bed.AddHostAsync("10.77.0.1/24"), await bed.AddHostAsync("10.77.0.2/24") };
        JsonObject Rule(string key, int priority, string direction, string action, string? protocol = null) => new()
        {
            ["module"] = "fw1",
            ["table"] = "rules",
            ["entry"] = protocol is null
                ? new JsonObject { ["key"] = key, ["priority"] = priority, ["direction"] = direction, ["action"] = action }
                : new JsonObject { ["key"] = key, ["priority"] = priority, ["direction"] = direction, ["action"] = action, ["protocol"] = protocol },
        };
        // Host 1 — br1 — fw1 (outside, inside) — host 2; the firewall drops what no rule allows.
        JsonObject Spec(params JsonObject[] entries)
        {
            var spec = Bridge("lab", "br1", "tc", hosts[..1]);
            spec["modules"]!.AsArray()[0]!["ports"]!.AsArray().Add(new JsonObject { ["name"] = "p2" });
            spec["modules"]!.AsArray().Add(new JsonObject
            {
                ["name"] = "fw1",
                ["type"] = "firewall",
                ["hook"] = "tc",
                ["config"] = new JsonObject { ["defaultAction"] = "drop" },
                ["ports"] = new JsonArray(
                    new JsonObject { ["name"] = "in", ["config"] = new JsonObject { ["role"] = "inside" } },
                    new JsonObject { ["name"] = "out", ["config"] = new JsonObject { ["role"] = "outside" } }),
            });
            spec["links"]!.AsArray().Add(Link("br1:p2", "fw1:out"));
            spec["links"]!.AsArray().Add(Link("fw1:in", hosts[1].Veth.NetdevRef));
            spec["entries"] = new JsonArray([.. entries]);
            return spec;
        }

        var applied = await ApplyAsync(bed, Spec(
            FdbEntry("br1", "02:00:00:00:00:01", "p1"),
            Rule("ping-in", 100, "ingress", "allow", "icmp"),
            Rule("replies", 100, "egress", "allow"),
            Rule("no-tcp", 200, "ingress", "drop", "tcp")));
        Assert.Contains("create entry fw1/rules/ping-in", Changes(applied));
        Assert.Contains("create entry fw1/rules/no-tcp", Changes(applied));
        await AssertPingsAsync(bed, hosts[0], hosts[1]);
        Assert.Equal(["no-tcp", "ping-in", "replies"], await RuleKeysAsync(bed));
        var before = await SnapshotAsync(bed);

        // The batch names the rule at fault by its place in the spec, before anything changes.
        var bad = Rule("ssh", 100, "ingress", "allow", "tcp");
        bad["entry"]!["priority"] = -1;
        var rejected = await bed.Http.SendAsync(HttpMethod.Post, "chains", Spec(
            FdbEntry("br1", "02:00:00:00:00:01", "p1"), Rule("ping-in", 100, "ingress", "allow", "icmp"), bad, Rule("replies", 100, "egress", "allow")));
        AssertProblem(rejected, HttpStatusCode.BadRequest, "entries[2].entry.priority");
        await AssertUnchangedAsync(bed, before);

        // A new set that goes in force, then an entry after it that the bridge refuses: the old set is back.
        var refused = await bed.Http.SendAsync(HttpMethod.Post, "chains", Spec(
            Rule("ping-in", 100, "ingress", "drop", "icmp"), Rule("replies", 100, "egress", "allow"), Rule("web", 150, "ingress", "allow", "tcp"),
            FdbEntry("br1", "02:00:00:00:00:zz", "p1")));
        AssertProblem(refused, HttpStatusCode.BadRequest, "entries[3].entry.mac");
        await AssertUnchangedAsync(bed, before);
        Assert.Equal(["no-tcp", "ping-in", "replies"], await RuleKeysAsync(bed));
        Assert.Equal("allow", (string?)(await bed.Http.GetJsonAsync("modules/fw1/tables/rules/entries/ping-in"))["action"]);
        await AssertPingsAsync(bed, hosts[0], hosts[1]);
    }

    private static async Task<IReadOnlyList<string>> RuleKeysAsync(TestBed bed) =>
        [.. (await bed.Http.GetJsonAsync("modules/fw1/tables/rules/entries")).AsArray().Select(r => (string)r!["key"]!).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Deleting_a_chain_removes_what_it_owns_and_nothing_else()
    {
        await using var bed = await TestBed.StartAsync();
        var hosts = new[] { await bed.AddHostAsync("10.77.0.1/24"), await bed.AddHostAsync("10.77.0.2/24") };
        await bed.Http.CreateBridgeAsync("other", "tc");
        var spec = Bridge("lab", "br1", "tc", hosts);
        spec["modules"]!.AsArray().Add(Module("br2", "tc", 300));
        await ApplyAsync(bed, spec);

        (await bed.Http.SendAsync(HttpMethod.Delete, "chains/lab")).Expect(HttpStatusCode.NoContent);

        var modules = (await bed.Http.GetJsonAsync("modules")).AsArray();
        Assert.Equal(["other"], modules.Select(m => (string?)m!["name"]));
        Assert.Empty((await bed.Http.GetJsonAsync("links")).AsArray());
        (await bed.Http.SendAsync(HttpMethod.Get, "chains/lab")).Expect(HttpStatusCode.NotFound);
        (await bed.Http.SendAsync(HttpMethod.Delete, "chains/lab")).Expect(HttpStatusCode.NotFound);
        Assert.Equal(["other"], PinnedModules(bed));
        foreach (var host in hosts)
        {
            Assert.False(await NetdevAttachments.HasTcIngressFilterAsync(host.Veth.HostName), $"{host.Veth.HostName} kept its tc filter");
        }
    }

    [Fact]
    public async Task A_chain_survives_a_restart()
    {
        await using var bed = await TestBed.StartAsync();
        var hosts = new[] { await bed.AddHostAsync("10.77.0.1/24"), await bed.AddHostAsync("10.77.0.2/24") };
        var spec = Bridge("lab", "br1", "tc", hosts);
        spec["entries"] = new JsonArray(FdbEntry("br1", "02:00:00:00:00:01", "p2"));
        await ApplyAsync(bed, spec);
        var before = await bed.Http.GetJsonAsync("chains/lab");

        await bed.Hover.RestartAsync();

        Assert.True(JsonNode.DeepEquals(before, await bed.Http.GetJsonAsync("chains/lab")), "the chain changed across the restart");
        Assert.Empty(Changes(await ApplyAsync(bed, spec)));
        await AssertPingsAsync(bed, hosts[0], hosts[1]);
    }

    [Fact]
    public async Task Dropping_a_port_drops_the_static_entries_on_it_and_the_daemon_still_restarts()
    {
        await using var bed = await TestBed.StartAsync();
        var hosts = new[] { await bed.AddHostAsync("10.77.0.1/24"), await bed.AddHostAsync("10.77.0.2/24") };
        var spec = Bridge("lab", "br1", "tc", hosts);
        spec["modules"]!.AsArray()[0]!["ports"]!.AsArray().Add(new JsonObject { ["name"] = "p3" });
        spec["entries"] = new JsonArray(FdbEntry("br1", "02:00:00:00:00:03", "p3"));
        await ApplyAsync(bed, spec);
        // One entry on p3 that the chain does not own.
        await bed.Http.CreateAsync("modules/br1/tables/fdb/entries", new JsonObject { ["mac"] = "02:00:00:00:00:04", ["port"] = "p3" });

        var shrunk = await ApplyAsync(bed, Bridge("lab", "br1", "tc", hosts));

        Assert.Equal(["delete entry br1/fdb/02:00:00:00:00:03@1", "delete port br1:p3"], Changes(shrunk));
        Assert.DoesNotContain((await bed.Http.GetJsonAsync("modules/br1/tables/fdb/entries")).AsArray(), e => (bool?)e!["static"] == true);
        await bed.Hover.RestartAsync();
        await AssertPingsAsync(bed, hosts[0], hosts[1]);
    }

    [Fact]
    public async Task A_module_the_chain_does_not_own_is_a_conflict()
    {
        await using var bed = await TestBed.StartAsync();
        var hosts = new[] { await bed.AddHostAsync("10.77.0.1/24") };
        await bed.Http.CreateBridgeAsync("br1", "tc");
        var before = await SnapshotAsync(bed);

        var clash = await bed.Http.SendAsync(HttpMethod.Post, "chains", Bridge("lab", "br1", "tc", hosts));

        AssertProblem(clash, HttpStatusCode.Conflict, "modules[0].name");
        await AssertUnchangedAsync(bed, before);
    }

    private static async Task<ApiResponse> ApplyAsync(TestBed bed, JsonNode spec) =>
        (await bed.Http.SendAsync(HttpMethod.Post, "chains", spec)).Expect(HttpStatusCode.OK);

    private static string GraphJson(TestBed bed) => Path.Combine(bed.Hover.StateDir, "graph.json");

    /// <summary>Module pin folders: a module set aside or half loaded would show here.</summary>
    private static IReadOnlyList<string> PinnedModules(TestBed bed) =>
        Directory.GetDirectories(Path.Combine(bed.Hover.BpffsDir, "modules")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>What a refused change must leave as it was: the API's graph and chains, graph.json, the pins.</summary>
    private static async Task<JsonObject> SnapshotAsync(TestBed bed)
    {
        var snapshot = await bed.Http.SnapshotGraphAsync();
        snapshot["chains"] = await bed.Http.GetJsonAsync("chains");
        snapshot["graph.json"] = File.Exists(GraphJson(bed)) ? await File.ReadAllTextAsync(GraphJson(bed)) : null;
        snapshot["pins"] = new JsonArray(PinnedModules(bed).Select(p => (JsonNode?)p).ToArray());
        return snapshot;
    }

    private static async Task AssertUnchangedAsync(TestBed bed, JsonObject before)
    {
        Assert.True(bed.Hover.IsRunning, $"hoverd died\n{bed.Hover.Output}");
        var after = await SnapshotAsync(bed);
        Assert.True(JsonNode.DeepEquals(before, after), $"a refused chain changed something:\nbefore: {before.ToJsonString()}\nafter:  {after.ToJsonString()}");
    }

    private static void AssertProblem(ApiResponse response, HttpStatusCode status, string field)
    {
        Assert.True(response.Status == status && response.MediaType == "application/problem+json", $"expected a {(int)status} problem: {response.Describe()}");
        Assert.True(response.Json?["errors"] is JsonObject errors && errors.ContainsKey(field), $"the problem does not name `{field}`: {response.Describe()}");
    }

    private static async Task AssertPingsAsync(TestBed bed, Host from, Host to)
    {
        var ping = await from.PingAsync(to);
        Assert.True(ping.Succeeded, $"{from.Ip} → {to.Ip}: {ping.Describe()}\n--- hoverd ---\n{bed.Hover.Output}");
    }
}
