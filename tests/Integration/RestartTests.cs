using System.Text.Json.Nodes;
using IoVisor.Integration.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace IoVisor.Integration.Tests;

/// <summary>
/// The datapath outlives the daemon: traffic keeps flowing while hoverd is dead (SIGKILL) or stopped (SIGTERM),
/// and after a restart the API shows the same graph and the same learned FDB.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class RestartTests(ITestOutputHelper output)
{
    public enum Stop
    {
        Kill,
        Term,
    }

    [Theory]
    [InlineData(Stop.Kill)]
    [InlineData(Stop.Term)]
    public async Task Traffic_survives_a_daemon_stop_and_the_state_is_readopted(Stop how)
    {
        await using var bed = await TestBed.StartAsync();
        var ns1 = await bed.AddHostAsync("10.77.0.1/24");
        var ns2 = await bed.AddHostAsync("10.77.0.2/24");
        await bed.BuildBridgeAsync("br1", "tc", [ns1, ns2]);

        var warmUp = await ns1.PingAsync(ns2);
        Assert.True(warmUp.Succeeded, $"bridge does not forward before the stop: {warmUp.Describe()}\n{bed.Hover.Output}");

        using var ping = ns1.Namespace.StartInBackground("ping", "-n", "-i", "0.05", "-w", "12", ns2.Ip);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var before = await SnapshotAsync(bed.Http);
        if (how == Stop.Kill)
        {
            bed.Hover.KillHard();
        }
        else
        {
            var exitCode = await bed.Hover.StopGracefullyAsync();
            Assert.True(exitCode == 0, $"hoverd exited with {exitCode} on SIGTERM\n{bed.Hover.Output}");
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(ping.HasExited, "the background ping ended early");
        await bed.Hover.RestartAsync();

        var result = await ping.WaitAsync(TimeSpan.FromSeconds(30));
        var stats = PingStatistics.Parse(result.Stdout);
        output.WriteLine($"{how}: {stats.Transmitted} sent, {stats.Received} received, {stats.LossPercent:F1}% loss");
        Assert.True(stats.Transmitted > 100, $"ping sent too little to judge: {result.Describe()}");
        Assert.True(stats.LossPercent < 10,
            $"{stats.LossPercent:F1}% loss across the {how} and restart (datapath must keep forwarding):\n{result.Stdout}\n--- hoverd ---\n{bed.Hover.Output}");

        var after = await SnapshotAsync(bed.Http);
        foreach (var part in new[] { "modules", "links", "ports" })
        {
            Assert.True(JsonNode.DeepEquals(before[part], after[part]),
                $"{part} changed across the restart:\nbefore: {before[part]?.ToJsonString()}\nafter:  {after[part]?.ToJsonString()}");
        }
        Assert.True(JsonNode.DeepEquals(before["fdb"], after["fdb"]),
            $"FDB changed across the restart:\nbefore: {before["fdb"]?.ToJsonString()}\nafter:  {after["fdb"]?.ToJsonString()}");
        foreach (var host in new[] { ns1, ns2 })
        {
            Assert.Contains(after["fdb"]!.AsArray(), e => string.Equals((string?)e?["mac"], host.Mac, StringComparison.OrdinalIgnoreCase));
        }

        var again = await ns2.PingAsync(ns1);
        Assert.True(again.Succeeded, $"bridge does not forward after the restart: {again.Describe()}");
    }

    /// <summary>The graph plus the FDB without the fields that move with time (entry age).</summary>
    private static async Task<JsonObject> SnapshotAsync(HttpClient http)
    {
        var fdb = (await http.GetJsonAsync("modules/br1/tables/fdb/entries")).AsArray()
            .Select(e => new JsonObject
            {
                ["key"] = e?["key"]?.DeepClone(),
                ["mac"] = ((string?)e?["mac"])?.ToLowerInvariant(),
                ["vlan"] = e?["vlan"]?.DeepClone(),
                ["port"] = e?["port"]?.DeepClone(),
                ["static"] = e?["static"]?.DeepClone(),
            })
            .OrderBy(e => (string?)e["key"], StringComparer.Ordinal)
            .Select(e => (JsonNode?)e)
            .ToArray();
        return new JsonObject
        {
            ["modules"] = await http.GetJsonAsync("modules"),
            ["links"] = await http.GetJsonAsync("links"),
            ["ports"] = await http.GetJsonAsync("modules/br1/ports"),
            ["fdb"] = new JsonArray(fdb),
        };
    }
}
