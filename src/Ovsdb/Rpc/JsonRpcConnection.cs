using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace IoVisor.Ovsdb.Rpc;

/// <summary>JSON-RPC 1.0 over one stream, as OVSDB speaks it: requests with integer ids, responses
/// matched by id, notifications (id null) handed to a callback, the server's "echo" requests
/// answered here, and an inactivity probe of our own. Once closed, for any reason, every pending
/// and later request fails with <see cref="OvsdbConnectionException"/>.</summary>
internal sealed partial class JsonRpcConnection : IAsyncDisposable
{
    private readonly Stream stream;
    private readonly string peer;
    private readonly PipeReader reader;
    private readonly Action<string, JsonElement> onNotification;
    private readonly ILogger logger;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, PendingRequest> pending = new();
    private readonly CancellationTokenSource lifetime = new();
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly InactivityProbe probe;
    private readonly Task readLoop;
    private readonly Task probeLoop;
    private long nextId;
    private int closing;

    /// <param name="onNotification">Called on the read loop, in arrival order, with each
    /// notification's method and params. It must not block.</param>
    public JsonRpcConnection(Stream stream, string peer, TimeSpan inactivityProbe, Action<string, JsonElement> onNotification, ILogger logger)
    {
        this.stream = stream;
        this.peer = peer;
        this.onNotification = onNotification;
        this.logger = logger;
        reader = PipeReader.Create(stream);
        probe = new InactivityProbe(inactivityProbe);
        readLoop = Task.Run(ReadLoopAsync);
        probeLoop = inactivityProbe > TimeSpan.Zero ? Task.Run(ProbeLoopAsync) : Task.CompletedTask;
    }

    /// <summary>Completes when the connection closes: successfully after <see cref="DisposeAsync"/>,
    /// with an <see cref="OvsdbConnectionException"/> or <see cref="OvsdbProtocolException"/>
    /// when it failed.</summary>
    public Task Completion => closed.Task;

    public async Task<JsonElement> RequestAsync(string method, Action<Utf8JsonWriter> writeParams, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref nextId);
        var request = new PendingRequest(method);
        pending[id] = request;
        try
        {
            // The close path drains 'pending' after setting 'closing'; checking after the add
            // means a request can never be left behind a closed connection.
            if (Volatile.Read(ref closing) != 0)
            {
                throw Closed();
            }
            await SendAsync(
                w =>
                {
                    w.WriteStartObject();
                    w.WriteString("method", method);
                    w.WritePropertyName("params");
                    writeParams(w);
                    w.WriteNumber("id", id);
                    w.WriteEndObject();
                },
                ct);
            return await request.Task.WaitAsync(ct);
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    // 'lifetime' and 'writeLock' are left undisposed: an echo answer still in flight may touch
    // them, and neither holds an OS handle.
    public async ValueTask DisposeAsync()
    {
        Close(null);
        await Task.WhenAll(readLoop, probeLoop);
    }

    private async Task SendAsync(Action<Utf8JsonWriter> write, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WireFormat.WriterOptions))
        {
            write(writer);
        }
        await writeLock.WaitAsync(ct);
        try
        {
            // Not the caller's token: a message cut off half-way would corrupt the stream.
            await stream.WriteAsync(buffer.WrittenMemory, lifetime.Token);
            await stream.FlushAsync(lifetime.Token);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            Close(new OvsdbConnectionException($"sending to {peer} failed: {e.Message}", e));
            throw Closed();
        }
        finally
        {
            writeLock.Release();
        }
    }

    private void Close(Exception? reason)
    {
        if (Interlocked.Exchange(ref closing, 1) != 0)
        {
            return;
        }
        if (reason is not null)
        {
            LogClosed(logger, peer, reason.Message);
        }
        lifetime.Cancel();
        stream.Dispose();
        var failure = reason ?? new OvsdbConnectionException($"the connection to {peer} was closed");
        foreach (var request in pending.Values)
        {
            request.Fail(failure is OvsdbConnectionException ? failure : Closed(failure));
        }
        if (reason is null)
        {
            closed.TrySetResult();
        }
        else
        {
            closed.TrySetException(reason);
        }
    }

    private OvsdbConnectionException Closed(Exception? reason = null) =>
        new($"the connection to {peer} is closed", reason ?? closed.Task.Exception?.InnerException);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection to {Peer} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string peer, string reason);
}
