using System.Text.Json.Nodes;
using IoVisor.Integration.Tests.Harness;
using Xunit;

namespace IoVisor.Integration.Tests;

/// <summary>Three namespaces on one bridge: every pair pings, the FDB learns every MAC, every port counts traffic.</summary>
[Collection(KernelCollection.Name)]
public sealed class BridgePingTests
{
    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Three_hosts_on_a_bridge_reach_each_other(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var hosts = new[]
        {
            await bed.AddHostAsync("10.77.0.1/24"),
            await bed.AddHostAsync("10.77.0.2/24"),
            await bed.AddHostAsync("10.77.0.3/24"),
        };
        await bed.BuildBridgeAsync("br1", hook, hosts);

        var failures = new List<string>();
        foreach (var from in hosts)
        {
            foreach (var to in hosts.Where(h => h != from))
            {
                var ping = await from.PingAsync(to);
                if (!ping.Succeeded)
                {
                    failures.Add($"{from.Ip} → {to.Ip}: {ping.Describe()}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"pings failed ({hook}):\n{string.Join("\n", failures)}\n--- hoverd ---\n{bed.Hover.Output}");

        var fdb = (await bed.Http.GetJsonAsync("modules/br1/tables/fdb/entries")).AsArray();
        for (var i = 0; i < hosts.Length; i++)
        {
            var port = $"p{i + 1}";
            var mac = hosts[i].Mac;
            Assert.True(
                fdb.Any(e => string.Equals((string?)e?["mac"], mac, StringComparison.OrdinalIgnoreCase) && (string?)e?["port"] == port),
                $"FDB has no entry {mac} on {port}: {fdb.ToJsonString()}");
        }

        var stats = await bed.Http.GetJsonAsync("modules/br1/stats");
        Assert.Equal("br1", (string?)stats["module"]);
        var ports = stats["ports"]!.AsArray();
        foreach (var port in new[] { "p1", "p2", "p3" })
        {
            var portStats = ports.SingleOrDefault(p => (string?)p?["port"] == port);
            Assert.True(portStats is not null, $"no stats for {port}: {stats.ToJsonString()}");
            Assert.True((long)portStats["rxPackets"]! > 0, $"{port} rxPackets is 0: {stats.ToJsonString()}");
            Assert.True((long)portStats["txPackets"]! > 0, $"{port} txPackets is 0: {stats.ToJsonString()}");
        }
    }
}
