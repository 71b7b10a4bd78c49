using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using IoVisor.Bpf;
using IoVisor.Hover.Graph;
using IoVisor.Hover.Kernel;
using IoVisor.IoModules.Abi;

namespace IoVisor.Hover.Trace;

/// <summary>Runs packet traces, one at a time: sets the datapath's filter, reads the hop events
/// its packets produce and turns them into views; clears the filter when the reader goes away.</summary>
public sealed class PacketTracer(PatchPanel panel, GraphService graph)
{
    private static readonly string[] Verdicts = ["rx", "forward", "drop", "pass", "punt", "redirect", "consumed"];
    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Starts a trace; throws <see cref="ConflictException"/> while another one runs.</summary>
    public IAsyncEnumerable<TraceEventView> Start(HoverTraceCfg filter, int? limit, CancellationToken ct)
    {
        if (!_running.Wait(0))
        {
            throw new ConflictException("filter", "a trace is already running; one at a time");
        }
        return Run(filter, limit, ct);
    }

    private async IAsyncEnumerable<TraceEventView> Run(HoverTraceCfg filter, int? limit, [EnumeratorCancellation] CancellationToken ct)
    {
        var events = Channel.CreateBounded<TraceEventView>(new BoundedChannelOptions(8192) { FullMode = BoundedChannelFullMode.DropWrite });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var lastSeen = new Dictionary<uint, ulong>();
        var reader = new Thread(() => Read(events.Writer, lastSeen, stop.Token)) { IsBackground = true, Name = "trace-reader" };
        try
        {
            reader.Start();
            panel.TraceConfig.Update(0, filter);
            var count = 0;
            await foreach (var e in events.Reader.ReadAllAsync(ct))
            {
                yield return e;
                if (++count == limit)
                {
                    break;
                }
            }
        }
        finally
        {
            panel.TraceConfig.Update(0, default);
            await stop.CancelAsync();
            reader.Join(TimeSpan.FromSeconds(2));
            _running.Release();
        }
    }

    private void Read(ChannelWriter<TraceEventView> writer, Dictionary<uint, ulong> lastSeen, CancellationToken ct)
    {
        var started = false;
        using var ring = new RingBufferReader(panel.Trace, data =>
        {
            if (started)
            {
                writer.TryWrite(ToView(MemoryMarshal.Read<HoverTraceEvent>(data), lastSeen));
            }
        });
        // Whatever an earlier trace left in the ring is not this trace's.
        ring.Consume();
        started = true;
        while (!ct.IsCancellationRequested)
        {
            ring.Poll(100);
        }
    }

    private unsafe TraceEventView ToView(HoverTraceEvent e, Dictionary<uint, ulong> lastSeen)
    {
        var delta = lastSeen.TryGetValue(e.TraceId, out var previous) && e.TsNs >= previous ? e.TsNs - previous : 0;
        if (lastSeen.Count > 65536)
        {
            lastSeen.Clear();
        }
        lastSeen[e.TraceId] = e.TsNs;
        var module = graph.LoadedAt((int)e.Module)?.Name;
        var port = module is not null && graph.State.Modules.TryGetValue(module, out var m) ? m.PortAt((int)e.Port)?.Name : null;
        var head = new ReadOnlySpan<byte>(e.Head, (int)Math.Min(e.CapLen, (uint)HoverTraceEvent.Snap));
        return new TraceEventView(e.TraceId, (int)e.Hop, (long)e.TsNs, (long)delta,
            module ?? $"#{e.Module}", port ?? $"#{e.Port}",
            e.Verdict < Verdicts.Length ? Verdicts[e.Verdict] : $"#{e.Verdict}", (int)e.Len,
            FrameSummary.Of(head), e.Ifindex == 0 ? null : Netdev.NameOf((int)e.Ifindex) ?? $"#{e.Ifindex}");
    }
}
