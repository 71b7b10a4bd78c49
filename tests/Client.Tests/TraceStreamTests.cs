using System.Net;
using System.Text;
using IoVisor.Hover.Client;

namespace IoVisor.Client.Tests;

/// <summary>The server-sent event reader of GET /trace.</summary>
public sealed class TraceStreamTests
{
    private const string Hop0 = """{"packetId":7,"hop":0,"timestampNs":1000,"deltaNs":0,"module":"br1","port":"p1","verdict":"forward","len":98,"summary":"10.0.0.1 > 10.0.0.2 ICMP echo request"}""";
    private const string Hop1 = """{"packetId":7,"hop":1,"timestampNs":1850,"deltaNs":850,"module":"r1","port":"eth0","verdict":"drop","len":98,"summary":"10.0.0.1 > 10.0.0.2 ICMP echo request"}""";

    [Fact]
    public async Task Reads_each_hop_event()
    {
        var hops = await ReadAllAsync($"event: hop\ndata: {Hop0}\n\nevent: hop\ndata: {Hop1}\n\n");

        Assert.Equal(2, hops.Count);
        Assert.Equal(new TraceEvent(7, 0, 1000, 0, "br1", "p1", "forward", 98, "10.0.0.1 > 10.0.0.2 ICMP echo request"), hops[0]);
        Assert.Equal(("r1", "eth0", "drop", 850L), (hops[1].Module, hops[1].Port, hops[1].Verdict, hops[1].DeltaNs));
    }

    [Fact]
    public async Task Accepts_crlf_lines_no_space_after_the_colon_and_data_split_over_lines()
    {
        var split = Hop0.Replace(",\"hop\"", "\r\ndata:,\"hop\"", StringComparison.Ordinal);

        var hops = await ReadAllAsync($"event:hop\r\ndata:{split}\r\n\r\n");

        Assert.Equal(0, Assert.Single(hops).Hop);
    }

    [Fact]
    public async Task Skips_comments_other_events_and_fields_it_does_not_use()
    {
        var hops = await ReadAllAsync($": keep-alive\n\nevent: stats\ndata: {{\"dropped\":3}}\n\nid: 12\nretry: 1000\nevent: hop\ndata: {Hop1}\n\n");

        Assert.Equal(1, Assert.Single(hops).Hop);
    }

    [Fact]
    public async Task Drops_an_event_cut_off_by_the_end_of_the_stream()
    {
        var hops = await ReadAllAsync($"event: hop\ndata: {Hop0}\n\nevent: hop\ndata: {Hop1}\n");

        Assert.Equal(0, Assert.Single(hops).Hop);
    }

    [Fact]
    public async Task A_hop_that_is_not_a_trace_event_is_a_format_error()
    {
        var e = await Assert.ThrowsAsync<FormatException>(() => ReadAllAsync("event: hop\ndata: {not json\n\n"));

        Assert.Contains("{not json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_stops_a_stream_that_is_still_open()
    {
        using var pipe = new BlockingStream(Encoding.UTF8.GetBytes($"event: hop\ndata: {Hop0}\n\n"));
        using var cts = new CancellationTokenSource();
        var seen = new List<TraceEvent>();

        var reading = Task.Run(async () =>
        {
            await foreach (var hop in TraceStream.ReadAsync(pipe, cts.Token))
            {
                seen.Add(hop);
                await cts.CancelAsync();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Single(seen);
    }

    [Fact]
    public async Task TraceAsync_opens_the_stream_and_reads_it()
    {
        using var api = HoverClient.Create(StubHandler.BaseAddress,
            StubHandler.Always(HttpStatusCode.OK, $"event: hop\ndata: {Hop0}\n\n", "text/event-stream"));

        var hops = new List<TraceEvent>();
        await foreach (var hop in api.TraceAsync("ip.dst == 10.0.0.2", 1))
        {
            hops.Add(hop);
        }

        Assert.Equal(7ul, Assert.Single(hops).PacketId);
    }

    private static async Task<List<TraceEvent>> ReadAllAsync(string sse)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(sse));
        var hops = new List<TraceEvent>();
        await foreach (var hop in TraceStream.ReadAsync(stream))
        {
            hops.Add(hop);
        }
        return hops;
    }

    /// <summary>Serves its bytes, then blocks like an idle connection until the read is cancelled.</summary>
    private sealed class BlockingStream(byte[] first) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (_position < first.Length)
            {
                var n = Math.Min(buffer.Length, first.Length - _position);
                first.AsMemory(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
