using System.Diagnostics;
using System.Net;

namespace IoVisor.Bench;

/// <summary>
/// A running GET /trace on the bench's daemon, read in the background as a client would, counting
/// the hop events; disposing ends it (the daemon stops the trace when its client goes away).
/// </summary>
internal sealed class TraceStream : IDisposable
{
    private static readonly TimeSpan PreviousTraceEnds = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private long _hops;

    private TraceStream(HttpClient http, HttpResponseMessage response)
    {
        _http = http;
        _response = response;
        _reading = Task.Run(() => ReadAsync(_stop.Token));
    }

    /// <summary>Returns once the daemon answered: its headers go out after the filter is in place.
    /// A trace ended just before is still running until the daemon has seen its client go: 409,
    /// retried for a while.</summary>
    public static TraceStream Open(Daemon daemon, string filter)
    {
        var http = new HttpClient { BaseAddress = daemon.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var uri = new Uri($"/trace?filter={Uri.EscapeDataString(filter)}", UriKind.Relative);
            var waited = Stopwatch.StartNew();
            while (true)
            {
                var response = http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead).Result;
                if (response.IsSuccessStatusCode)
                {
                    return new TraceStream(http, response);
                }
                string text = response.Content.ReadAsStringAsync().Result;
                response.Dispose();
                if (response.StatusCode != HttpStatusCode.Conflict || waited.Elapsed > PreviousTraceEnds)
                {
                    throw new InvalidOperationException($"GET /trace: {(int)response.StatusCode} {text}");
                }
                Thread.Sleep(50);
            }
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Ends the trace; the hop events that arrived.</summary>
    public long Stop()
    {
        _stop.Cancel();
        try
        {
            _reading.Wait();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException or IOException))
        {
            // What cancelling a read of a response stream throws.
        }
        return Interlocked.Read(ref _hops);
    }

    public void Dispose()
    {
        Stop();
        _response.Dispose();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(CancellationToken ct)
    {
        using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line == "event: hop")
            {
                Interlocked.Increment(ref _hops);
            }
        }
    }
}
