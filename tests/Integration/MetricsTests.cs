using System.Net;
using IoVisor.Integration.Tests.Harness;
using Xunit;

namespace IoVisor.Integration.Tests;

/// <summary>GET /metrics speaks the Prometheus text format and counts what the daemon just did.</summary>
[Collection(KernelCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task Requests_ports_and_the_graph_show_up_in_the_exposition()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateBridgeAsync("br1", "tc");
        await bed.Http.AddPortAsync("br1", "p1");
        for (var i = 0; i < 3; i++)
        {
            await bed.Http.GetJsonAsync("modules");
        }
        (await bed.Http.SendAsync(HttpMethod.Get, "modules/nosuch")).Expect(HttpStatusCode.NotFound);

        using var response = await bed.Http.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var lines = text.Split('\n');
        foreach (var expected in new[]
        {
            "# TYPE hover_api_requests_total counter",
            "hover_api_requests_total{method=\"GET\",route=\"/modules/\",status=\"200\"} 3",
            "hover_api_requests_total{method=\"POST\",route=\"/modules/\",status=\"201\"} 1",
            "hover_api_requests_total{method=\"GET\",route=\"/modules/{name}\",status=\"404\"} 1",
            "# TYPE hover_api_request_duration_seconds histogram",
            "hover_api_request_duration_seconds_bucket{method=\"GET\",route=\"/modules/\",status=\"200\",le=\"+Inf\"} 3",
            "hover_api_request_duration_seconds_count{method=\"GET\",route=\"/modules/\",status=\"200\"} 3",
            "# TYPE hover_port_rx_packets_total counter",
            "hover_port_rx_packets_total{module=\"br1\",port=\"p1\"} 0",
            "hover_port_drops_total{module=\"br1\",port=\"p1\"} 0",
            "hover_modules 1",
            "hover_links 0",
        })
        {
            Assert.True(lines.Contains(expected), $"no line `{expected}` in:\n{text}");
        }
    }
}
