using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace IoVisor.Hover.Client;

/// <summary>Reads the server-sent events of <c>GET /trace</c> as <see cref="TraceEvent"/>s.</summary>
public static class TraceStream
{
    private const string HopEvent = "hop";

    /// <summary>
    /// Opens the trace and yields each hop as it arrives, until the daemon ends the stream or
    /// <paramref name="ct"/> is cancelled.
    /// </summary>
    public static async IAsyncEnumerable<TraceEvent> TraceAsync(
        this IHoverApi api, string? filter = null, int? limit = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var stream = await api.OpenTraceAsync(filter, limit, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var hop in ReadAsync(stream, ct).ConfigureAwait(false))
            {
                yield return hop;
            }
        }
    }

    /// <summary>
    /// Parses an event stream (text/event-stream) and yields the data of each <c>event: hop</c> as a
    /// <see cref="TraceEvent"/>. Comments (keep-alives) and events of other types are skipped; an event cut off by
    /// the end of the stream is dropped, as the SSE specification says. Leaves <paramref name="sse"/> open.
    /// </summary>
    /// <exception cref="FormatException">A hop whose data is not a trace event.</exception>
    public static async IAsyncEnumerable<TraceEvent> ReadAsync(Stream sse, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(sse, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        string? type = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData && type == HopEvent)
                {
                    yield return Parse(data.ToString());
                }
                type = null;
                data.Clear();
                hasData = false;
                continue;
            }
            if (line[0] == ':')
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }
            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }
                    data.Append(value);
                    hasData = true;
                    break;
            }
        }
    }

    private static TraceEvent Parse(string data)
    {
        try
        {
            return JsonSerializer.Deserialize<TraceEvent>(data, HoverJson.Options)
                ?? throw new FormatException("trace hop is null");
        }
        catch (JsonException e)
        {
            throw new FormatException($"trace hop is not a trace event ({e.Message}): {data}", e);
        }
    }
}
