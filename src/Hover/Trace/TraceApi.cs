using System.Text.Json;
using IoVisor.Hover.Api;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.Trace;

/// <summary>GET /trace: the hops of packets matching a filter, live, as server-sent events.</summary>
public static class TraceApi
{
    public static IEndpointRouteBuilder MapTraceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/trace", async Task (string? filter, int? limit, PacketTracer tracer, IOptions<JsonOptions> json, HttpContext http) =>
        {
            if (limit is <= 0)
            {
                throw new IoModules.ConfigException("limit", "must be a positive number of events");
            }
            var ct = http.RequestAborted;
            var events = tracer.Start(TraceFilter.Compile(filter), limit, ct);
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            // Headers go out before the first packet: a client knows the trace runs before it
            // sends the traffic it wants to see.
            await http.Response.WriteAsync(": tracing\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            await foreach (var e in events)
            {
                await http.Response.WriteAsync($"event: hop\ndata: {JsonSerializer.Serialize(e, json.Value.SerializerOptions)}\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
            }
        })
        .WithTags("Trace")
        .WithSummary("Stream the hops of packets matching a filter (server-sent events, one \"hop\" event each)")
        .WithDescription("filter: clauses joined by && — ip.src, ip.dst, ip.addr (address or prefix), ip.proto, l4.sport, l4.dport, l4.port " +
            "(or tcp.*/udp.*), e.g. \"ip.dst == 10.0.0.2 && tcp.dport == 80\"; empty traces every packet. limit: stop after this many events. " +
            "One trace at a time (409 while another runs); tracing stops when the client goes away.")
        .Produces<TraceEventView>(StatusCodes.Status200OK, "text/event-stream")
        .ProducesProblems(400, 409);
        return app;
    }
}
