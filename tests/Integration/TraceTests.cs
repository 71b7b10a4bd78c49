using System.Net;
using System.Text.Json.Nodes;
using IoVisor.Integration.Tests.Harness;
using Xunit;

namespace IoVisor.Integration.Tests;

/// <summary>GET /trace shows where a real packet went, hop by hop, through a chain of modules.</summary>
[Collection(KernelCollection.Name)]
public sealed class TraceTests
{
    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task A_ping_through_bridge_router_bridge_is_traced_hop_by_hop(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await RouterTopology.BuildAsync(bed, hook, 89, throughBridges: true);
        var warmUp = await t.Left.PingAsync(t.Right);
        Assert.True(warmUp.Succeeded, warmUp.Describe());

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"trace?filter={Uri.EscapeDataString($"ip.dst == {t.Right.Ip} && ip.proto == icmp")}&limit=6");
        using var response = await bed.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var second = await bed.Http.SendAsync(HttpMethod.Get, "trace");
        second.ExpectProblem(HttpStatusCode.Conflict, "filter");

        var reading = ReadEventsAsync(await response.Content.ReadAsStreamAsync(cts.Token), cts.Token);
        var ping = await t.Left.Namespace.ExecAsync("ping", "-n", "-c", "1", "-W", "2", t.Right.Ip);
        Assert.True(ping.Succeeded, ping.Describe());
        var events = await reading;

        // One echo request: b1 p1 → b1 up → r1 p1 → r1 p2 → b2 up → b2 p1 → netdev; the reply is not traced (other dst).
        var hops = events.Select(e => $"{e["verdict"]} {e["module"]}:{e["port"]}").ToList();
        Assert.Equal(["rx b1:p1", "forward b1:up", "rx r1:p1", "forward r1:p2", "rx b2:up", "forward b2:p1"], hops);
        Assert.Single(events.Select(e => (long)e["packetId"]!).Distinct());
        Assert.All(events, e => Assert.Contains($"icmp {t.Left.Ip} > {t.Right.Ip}", (string?)e["summary"], StringComparison.Ordinal));
        Assert.Equal(t.Right.Veth.HostName, (string?)events[^1]["netdev"]);
        Assert.Contains("ttl 63", (string?)events[^1]["summary"], StringComparison.Ordinal);
        Assert.All(events.Skip(1), e => Assert.True((long)e["deltaNs"]! >= 0));
    }

    [Fact]
    public async Task A_bad_filter_is_refused_naming_it()
    {
        await using var bed = await TestBed.StartAsync();
        foreach (var filter in new[] { "ip.dst = 10.0.0.1", "ip.dst == 10.0.0", "foo.bar == 1", "tcp.dport == 80 && udp.sport == 1", "l4.port == 70000" })
        {
            (await bed.Http.SendAsync(HttpMethod.Get, $"trace?filter={Uri.EscapeDataString(filter)}")).ExpectProblem(HttpStatusCode.BadRequest, "filter");
        }
        (await bed.Http.SendAsync(HttpMethod.Get, "trace?limit=0")).ExpectProblem(HttpStatusCode.BadRequest, "limit");
    }

    private static async Task<List<JsonObject>> ReadEventsAsync(Stream stream, CancellationToken ct)
    {
        var events = new List<JsonObject>();
        using var reader = new StreamReader(stream);
        string? eventType = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventType = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal) && eventType == "hop")
            {
                events.Add(JsonNode.Parse(line[5..])!.AsObject());
            }
        }
        return events;
    }
}
