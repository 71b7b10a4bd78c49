using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace IoVisor.Hover.Metrics;

/// <summary>Times every request and records it under its route template. Placed outside the exception
/// handler, so it sees the status the client gets; the handler clears the endpoint of a failed
/// request but keeps it in its feature.</summary>
internal sealed class ApiMetricsMiddleware(RequestDelegate next, ApiRequestMetrics metrics)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            var endpoint = http.GetEndpoint() ?? http.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
            var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.Record(http.Request.Method, route, http.Response.StatusCode, Stopwatch.GetElapsedTime(start));
        }
    }
}
