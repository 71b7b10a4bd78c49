using System.Net;
using System.Text.Json.Nodes;
using IoVisor.Integration.Tests.Harness;
using Xunit;

namespace IoVisor.Integration.Tests;

/// <summary>
/// Bad input is answered with an RFC 7807 problem naming the field at fault, never half-applies a change
/// (GET /modules and GET /links are the same before and after) and never takes the daemon down.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class BadInputTests
{
    private static JsonObject Module(string name, string type = "bridge", string hook = "tc", JsonObject? config = null) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["hook"] = hook,
        ["config"] = config ?? new JsonObject { ["agingSeconds"] = 300 },
    };

    [Fact]
    public async Task Unknown_module_type_is_rejected()
    {
        await using var bed = await TestBed.StartAsync();
        await AssertRejectedAsync(bed, () => bed.Http.SendAsync(HttpMethod.Post, "modules", Module("br1", type: "teleporter")), null, "type");
    }

    [Fact]
    public async Task Duplicate_module_name_conflicts()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateBridgeAsync("br1", "tc");
        await AssertRejectedAsync(bed, () => bed.Http.SendAsync(HttpMethod.Post, "modules", Module("br1", hook: "xdp")), HttpStatusCode.Conflict, "name");
    }

    [Theory]
    [InlineData("bad name!")]
    [InlineData("")]
    [InlineData("a/b")]
    public async Task Invalid_module_name_is_rejected(string name)
    {
        await using var bed = await TestBed.StartAsync();
        await AssertRejectedAsync(bed, () => bed.Http.SendAsync(HttpMethod.Post, "modules", Module(name)), null, "name");
    }

    [Fact]
    public async Task Bad_hook_is_rejected()
    {
        await using var bed = await TestBed.StartAsync();
        await AssertRejectedAsync(bed, () => bed.Http.SendAsync(HttpMethod.Post, "modules", Module("br1", hook: "kprobe")), null, "hook");
    }

    [Fact]
    public async Task Negative_aging_is_rejected_on_create_and_on_patch()
    {
        await using var bed = await TestBed.StartAsync();
        var badConfig = new JsonObject { ["agingSeconds"] = -5 };
        await AssertRejectedAsync(bed, () => bed.Http.SendAsync(HttpMethod.Post, "modules", Module("br1", config: badConfig)), null, "config.agingSeconds");

        await bed.Http.CreateBridgeAsync("br2", "tc", agingSeconds: 300);
        await AssertRejectedAsync(bed,
            () => bed.Http.SendAsync(HttpMethod.Patch, "modules/br2", new JsonObject { ["config"] = new JsonObject { ["agingSeconds"] = -5 } }),
            null, "config.agingSeconds");
        var br2 = await bed.Http.GetJsonAsync("modules/br2");
        Assert.Equal(300, (int?)br2["config"]?["agingSeconds"]);
    }

    [Fact]
    public async Task Bad_mac_in_an_fdb_entry_is_rejected()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateBridgeAsync("br1", "tc");
        await bed.Http.AddPortAsync("br1", "p1");
        var fdbBefore = await bed.Http.GetJsonAsync("modules/br1/tables/fdb/entries");

        await AssertRejectedAsync(bed,
            () => bed.Http.SendAsync(HttpMethod.Post, "modules/br1/tables/fdb/entries",
                new JsonObject { ["mac"] = "02:00:00:00:00:zz", ["vlan"] = 1, ["port"] = "p1" }),
            null, "mac");

        var fdbAfter = await bed.Http.GetJsonAsync("modules/br1/tables/fdb/entries");
        Assert.True(JsonNode.DeepEquals(fdbBefore, fdbAfter), $"FDB changed: {fdbBefore.ToJsonString()} → {fdbAfter.ToJsonString()}");
    }

    [Fact]
    public async Task Link_to_a_missing_interface_is_rejected()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateBridgeAsync("br1", "tc");
        await bed.Http.AddPortAsync("br1", "p1");
        await AssertRejectedAsync(bed,
            () => bed.Http.SendAsync(HttpMethod.Post, "links", new JsonObject { ["from"] = "br1:p1", ["to"] = "netdev:iovnosuch0" }),
            null, "to");
        var port = await bed.Http.GetJsonAsync("modules/br1/ports/p1");
        Assert.Null((string?)port["peer"]);
    }

    [Fact]
    public async Task Second_link_on_a_linked_port_conflicts()
    {
        await using var bed = await TestBed.StartAsync();
        var ns = await bed.AddNamespaceAsync();
        var first = await ns.AddVethAsync("10.77.0.1/24", innerName: "eth0");
        var second = await ns.AddVethAsync("10.77.1.1/24", innerName: "eth1");
        await bed.Http.CreateBridgeAsync("br1", "tc");
        await bed.Http.AddPortAsync("br1", "p1");
        await bed.Http.LinkAsync("br1:p1", first.NetdevRef);

        await AssertRejectedAsync(bed,
            () => bed.Http.SendAsync(HttpMethod.Post, "links", new JsonObject { ["from"] = "br1:p1", ["to"] = second.NetdevRef }),
            HttpStatusCode.Conflict, "from");
        var port = await bed.Http.GetJsonAsync("modules/br1/ports/p1");
        Assert.Equal(first.NetdevRef, (string?)port["peer"]);
    }

    [Fact]
    public async Task Linking_modules_on_different_hooks_is_rejected()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateBridgeAsync("brtc", "tc");
        await bed.Http.AddPortAsync("brtc", "p1");
        await bed.Http.CreateBridgeAsync("brxdp", "xdp");
        await bed.Http.AddPortAsync("brxdp", "p1");
        await AssertRejectedAsync(bed,
            () => bed.Http.SendAsync(HttpMethod.Post, "links", new JsonObject { ["from"] = "brtc:p1", ["to"] = "brxdp:p1" }),
            null, "to");
    }

    [Theory]
    [InlineData("{\"name\":\"br1\",\"type\":\"bridge\",")]
    [InlineData("not json at all")]
    [InlineData("{\"name\":\"br1\",\"type\":\"bridge\",\"hook\":\"tc\",\"config\":{\"agingSeconds\":\"soon\"}}")]
    public async Task Malformed_json_is_a_bad_request(string body)
    {
        await using var bed = await TestBed.StartAsync();
        await AssertRejectedAsync(bed, () => bed.Http.SendRawAsync(HttpMethod.Post, "modules", body), HttpStatusCode.BadRequest, field: null);
    }

    [Theory]
    [InlineData("GET", "modules/nosuch")]
    [InlineData("DELETE", "modules/nosuch")]
    [InlineData("GET", "modules/nosuch/ports")]
    [InlineData("GET", "modules/nosuch/stats")]
    [InlineData("GET", "modules/nosuch/tables/fdb/entries")]
    [InlineData("GET", "links/nosuch")]
    public async Task Unknown_resource_in_the_url_is_not_found(string method, string path)
    {
        await using var bed = await TestBed.StartAsync();
        await AssertRejectedAsync(bed, () => bed.Http.SendAsync(new HttpMethod(method), path), HttpStatusCode.NotFound, field: null);
    }

    [Fact]
    public async Task Port_name_errors_are_rejected()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateBridgeAsync("br1", "tc");
        await bed.Http.AddPortAsync("br1", "p1");

        await AssertRejectedAsync(bed,
            () => bed.Http.SendAsync(HttpMethod.Post, "modules/br1/ports", new JsonObject { ["name"] = "bad name!" }), null, "name");
        await AssertRejectedAsync(bed,
            () => bed.Http.SendAsync(HttpMethod.Post, "modules/br1/ports", new JsonObject { ["name"] = "p1" }), HttpStatusCode.Conflict, "name");
        await AssertRejectedAsync(bed,
            () => bed.Http.SendAsync(HttpMethod.Get, "modules/br1/ports/p9"), HttpStatusCode.NotFound, field: null);
        await AssertRejectedAsync(bed,
            () => bed.Http.SendAsync(HttpMethod.Post, "links", new JsonObject { ["from"] = "br1:p9", ["to"] = "netdev:lo" }), null, "from");
    }

    [Fact]
    public async Task Bad_port_vlan_config_is_rejected()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateBridgeAsync("br1", "tc");
        await AssertRejectedAsync(bed,
            () => bed.Http.SendAsync(HttpMethod.Post, "modules/br1/ports", new JsonObject { ["name"] = "p1", ["config"] = HoverApi.AccessPort(5000) }),
            null, "config.vlan");
    }

    /// <summary>
    /// The call is answered with a 4xx problem+json (exactly <paramref name="status"/> when given) whose
    /// <c>errors</c> names <paramref name="field"/> (when given); modules and links are unchanged; the daemon lives.
    /// </summary>
    private static async Task AssertRejectedAsync(TestBed bed, Func<Task<ApiResponse>> call, HttpStatusCode? status, string? field)
    {
        var before = await bed.Http.SnapshotGraphAsync();
        var response = await call();

        if (status is not null)
        {
            Assert.True(response.Status == status, $"expected {(int)status}: {response.Describe()}");
        }
        else
        {
            Assert.True((int)response.Status is >= 400 and < 500, $"expected a 4xx: {response.Describe()}");
        }
        Assert.True(response.MediaType == "application/problem+json", $"expected application/problem+json: {response.Describe()}");
        var problem = response.Json as JsonObject;
        Assert.True(problem is not null, $"problem body is not an object: {response.Describe()}");
        Assert.True((int?)problem["status"] == (int)response.Status, $"problem.status does not match: {response.Describe()}");
        Assert.True(problem["title"] is JsonValue title && !string.IsNullOrWhiteSpace((string?)title), $"problem.title missing: {response.Describe()}");
        if (field is not null)
        {
            var errors = problem["errors"] as JsonObject;
            Assert.True(errors is not null, $"problem.errors missing: {response.Describe()}");
            Assert.True(errors.ContainsKey(field), $"problem.errors does not name `{field}`: {response.Describe()}");
            Assert.True(errors[field] is JsonArray { Count: > 0 } messages && messages.All(m => m is JsonValue),
                $"problem.errors.{field} should be a non-empty array of messages: {response.Describe()}");
        }

        Assert.True(bed.Hover.IsRunning, $"hoverd died on {response.Request}\n{bed.Hover.Output}");
        var after = await bed.Http.SnapshotGraphAsync();
        Assert.True(JsonNode.DeepEquals(before, after),
            $"state changed by a rejected request {response.Request}:\nbefore: {before.ToJsonString()}\nafter:  {after.ToJsonString()}");
    }
}
