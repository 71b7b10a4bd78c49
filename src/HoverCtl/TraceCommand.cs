using System.CommandLine;
using System.Globalization;
using IoVisor.Hover.Client;

namespace IoVisor.HoverCtl;

/// <summary><c>hoverctl trace</c>: one line per hop as packets go through the graph, until Ctrl-C or --limit.</summary>
internal static class TraceCommand
{
    // Fixed widths: the lines are printed as they arrive, so the columns cannot be sized from the data.
    private const string Format = "{0,-8} {1,3}  {2,-9} {3,-12} {4,-10} {5,-8} {6,5}  {7}";

    public static Command Create(ApiActions actions)
    {
        var filter = new Option<string>("--filter") { Description = "Which packets, e.g. \"ip.dst == 10.0.0.2\" [default: all]", HelpName = "expr" };
        var limit = new Option<int?>("--limit") { Description = "Stop after this many (as the daemon counts them)", HelpName = "n" };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0)
            {
                result.AddError("--limit must be at least 1");
            }
        });
        var trace = new Command("trace", "Follow packets through the module graph, one line per hop, until Ctrl-C or --limit") { filter, limit };
        actions.Set(trace, async call =>
        {
            try
            {
                await FollowAsync(call, call.Value(filter), call.Value(limit));
            }
            catch (OperationCanceledException) when (call.Ct.IsCancellationRequested)
            {
                // Ctrl-C is how a trace normally ends.
            }
        });
        return trace;
    }

    private static async Task FollowAsync(ApiCall call, string? filter, int? limit)
    {
        // Opened before the header is printed, so that a refused filter prints only the problem.
        await using var stream = await call.Api.OpenTraceAsync(filter, limit, call.Ct);
        var output = call.Out.Output;
        if (!call.Out.Json)
        {
            await WriteAsync(output, "PACKET", "HOP", "DELTA", "MODULE", "PORT", "VERDICT", "LEN", "SUMMARY");
            await output.FlushAsync(CancellationToken.None);
        }
        await foreach (var hop in TraceStream.ReadAsync(stream, call.Ct))
        {
            if (call.Out.Json)
            {
                call.Out.PrintLine(hop);
            }
            else
            {
                await WriteAsync(output, hop.PacketId, hop.Hop, Delta(hop), hop.Module, hop.Port, hop.Verdict, hop.Len, hop.Summary);
            }
            await output.FlushAsync(CancellationToken.None);
        }
    }

    private static Task WriteAsync(TextWriter output, params object[] columns) =>
        output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, Format, columns));

    /// <summary>Time since the packet's previous hop, in the unit that keeps it short.</summary>
    private static string Delta(TraceEvent hop) => hop.DeltaNs < 10_000
        ? $"+{hop.DeltaNs.ToString(CultureInfo.InvariantCulture)}ns"
        : $"+{(hop.DeltaNs / 1000.0).ToString("0.0", CultureInfo.InvariantCulture)}us";
}
