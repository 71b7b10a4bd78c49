using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using IoVisor.Ovsdb.Monitoring;
using IoVisor.Ovsdb.Rpc;
using IoVisor.Ovsdb.Schema;
using IoVisor.Ovsdb.Transactions;
using Microsoft.Extensions.Logging;

namespace IoVisor.Ovsdb;

/// <summary>One connection to an OVSDB server and the RFC 7047 methods over it, plus the
/// ovsdb-server extensions (monitor_cond, monitor_cond_since). It does not reconnect:
/// <see cref="OvsdbClient"/> does that on top. Notifications arrive, in order, on
/// <see cref="Notifications"/>; the channel completes when the connection closes.</summary>
public sealed partial class OvsdbConnection : IAsyncDisposable
{
    private readonly JsonRpcConnection rpc;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, DatabaseSchema> schemas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TableUpdatesReader> monitors = new(StringComparer.Ordinal);
    private readonly Channel<OvsdbNotification> notifications =
        Channel.CreateUnbounded<OvsdbNotification>(new UnboundedChannelOptions { SingleReader = true });

    private OvsdbConnection(OvsdbRemote remote, Stream stream, OvsdbConnectionOptions options, ILogger logger)
    {
        Remote = remote;
        this.logger = logger;
        rpc = new JsonRpcConnection(stream, remote.Text, options.InactivityProbe, OnNotification, logger);
        _ = rpc.Completion.ContinueWith(
            t => notifications.Writer.TryComplete(t.Exception?.InnerException),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public OvsdbRemote Remote { get; }

    public ChannelReader<OvsdbNotification> Notifications => notifications.Reader;

    /// <summary>Completes when the connection closes; faults with the reason when it was lost.</summary>
    public Task Completion => rpc.Completion;

    public static async Task<OvsdbConnection> ConnectAsync(OvsdbRemote remote, OvsdbConnectionOptions options, ILogger logger, CancellationToken ct)
    {
        var socket = await remote.ConnectAsync(options.ConnectTimeout, ct);
        LogConnected(logger, remote.Text);
        return new OvsdbConnection(remote, new System.Net.Sockets.NetworkStream(socket, ownsSocket: true), options, logger);
    }

    public async Task<IReadOnlyList<string>> ListDatabasesAsync(CancellationToken ct)
    {
        var result = await rpc.RequestAsync("list_dbs", w => { w.WriteStartArray(); w.WriteEndArray(); }, ct);
        return [.. result.EnumerateArray().Select(db => db.GetString()!)];
    }

    /// <summary>The database's schema, fetched once per connection.</summary>
    public async Task<DatabaseSchema> GetSchemaAsync(string database, CancellationToken ct)
    {
        if (schemas.TryGetValue(database, out var known))
        {
            return known;
        }
        var result = await rpc.RequestAsync("get_schema", w => WriteArray(w, database), ct);
        return schemas[database] = DatabaseSchema.Parse(result);
    }

    /// <summary>Runs the operations as one transaction. Throws
    /// <see cref="OvsdbTransactionException"/> naming the failing operation when any fails.</summary>
    public async Task<IReadOnlyList<OperationResult>> TransactAsync(string database, IReadOnlyList<OvsdbOperation> operations, CancellationToken ct)
    {
        var schema = await GetSchemaAsync(database, ct);
        var result = await rpc.RequestAsync(
            "transact",
            w =>
            {
                w.WriteStartArray();
                w.WriteStringValue(database);
                foreach (var operation in operations)
                {
                    operation.WriteTo(w);
                }
                w.WriteEndArray();
            },
            ct);
        return TransactionResultReader.Read(result, operations, schema);
    }

    /// <summary>Starts a monitor with <paramref name="method"/>; its later updates arrive as
    /// <see cref="MonitorUpdate"/>s with this <paramref name="monitorId"/>. A server without the
    /// method throws <see cref="OvsdbRpcException"/> with <see cref="OvsdbRpcException.IsUnknownMethod"/>.</summary>
    /// <param name="lastTxnId">For monitor_cond_since: the last transaction the caller has seen.</param>
    public async Task<MonitorResult> MonitorAsync(
        string database,
        string monitorId,
        IReadOnlyList<MonitorRequest> requests,
        MonitorMethod method,
        Guid? lastTxnId,
        CancellationToken ct)
    {
        var schema = await GetSchemaAsync(database, ct);
        var reader = new TableUpdatesReader(schema, requests, method);
        if (!monitors.TryAdd(monitorId, reader))
        {
            throw new InvalidOperationException($"the monitor id {monitorId} is already in use on this connection");
        }
        try
        {
            var result = await rpc.RequestAsync(
                MethodName(method),
                w =>
                {
                    w.WriteStartArray();
                    w.WriteStringValue(database);
                    w.WriteStringValue(monitorId);
                    w.WriteStartObject();
                    foreach (var request in requests)
                    {
                        w.WritePropertyName(request.Table);
                        if (method == MonitorMethod.Monitor)
                        {
                            request.WriteTo(w, schema, method);
                        }
                        else
                        {
                            w.WriteStartArray();
                            request.WriteTo(w, schema, method);
                            w.WriteEndArray();
                        }
                    }
                    w.WriteEndObject();
                    if (method == MonitorMethod.MonitorCondSince)
                    {
                        w.WriteStringValue((lastTxnId ?? Guid.Empty).ToString("D"));
                    }
                    w.WriteEndArray();
                },
                ct);
            if (method != MonitorMethod.MonitorCondSince)
            {
                return new MonitorResult(method, false, null, reader.Read(result, initial: true));
            }
            if (result.ValueKind != JsonValueKind.Array || result.GetArrayLength() != 3)
            {
                throw new OvsdbProtocolException($"a monitor_cond_since result must be [found, last-txn-id, updates], got {result.ValueKind}");
            }
            return new MonitorResult(method, result[0].GetBoolean(), ReadTxnId(result[1]), reader.Read(result[2], initial: true));
        }
        catch
        {
            monitors.TryRemove(monitorId, out _);
            throw;
        }
    }

    public async Task MonitorCancelAsync(string monitorId, CancellationToken ct)
    {
        await rpc.RequestAsync("monitor_cancel", w => WriteArray(w, monitorId), ct);
        monitors.TryRemove(monitorId, out _);
    }

    /// <summary>Sends an echo and waits for the server to repeat it.</summary>
    public async Task EchoAsync(CancellationToken ct)
    {
        const string Payload = "iovisor";
        var result = await rpc.RequestAsync("echo", w => WriteArray(w, Payload), ct);
        if (result.ValueKind != JsonValueKind.Array || result.GetArrayLength() != 1 || result[0].GetString() != Payload)
        {
            throw new OvsdbProtocolException($"the echo reply does not repeat the request: {result.GetRawText()}");
        }
    }

    /// <summary>Asks for a lock. True: this connection holds it now. False: it is queued, and a
    /// "locked" <see cref="LockNotification"/> arrives when it is granted.</summary>
    public Task<bool> LockAsync(string lockId, CancellationToken ct) => LockRequestAsync("lock", lockId, ct);

    /// <summary>Takes the lock from whoever holds it (who gets a "stolen" notification).</summary>
    public Task<bool> StealAsync(string lockId, CancellationToken ct) => LockRequestAsync("steal", lockId, ct);

    /// <summary>Releases the lock, or gives up waiting for it.</summary>
    public async Task UnlockAsync(string lockId, CancellationToken ct) =>
        await rpc.RequestAsync("unlock", w => WriteArray(w, lockId), ct);

    /// <summary>Sends any request; for methods this class does not wrap.</summary>
    internal Task<JsonElement> InvokeAsync(string method, Action<Utf8JsonWriter> writeParams, CancellationToken ct) =>
        rpc.RequestAsync(method, writeParams, ct);

    public ValueTask DisposeAsync() => rpc.DisposeAsync();

    private async Task<bool> LockRequestAsync(string method, string lockId, CancellationToken ct)
    {
        var result = await rpc.RequestAsync(method, w => WriteArray(w, lockId), ct);
        return result.TryGetProperty("locked", out var locked) && locked.GetBoolean();
    }

    private static Guid ReadTxnId(JsonElement json) =>
        json.ValueKind == JsonValueKind.String && Guid.TryParse(json.GetString(), out var id)
            ? id
            : throw new OvsdbProtocolException($"a last-txn-id must be a UUID string, got {json.GetRawText()}");

    private static string MethodName(MonitorMethod method) => method switch
    {
        MonitorMethod.Monitor => "monitor",
        MonitorMethod.MonitorCond => "monitor_cond",
        _ => "monitor_cond_since",
    };

    private static void WriteArray(Utf8JsonWriter writer, string value)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connected to {Remote}")]
    private static partial void LogConnected(ILogger logger, string remote);

}
