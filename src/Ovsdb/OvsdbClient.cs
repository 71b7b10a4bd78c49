using System.Collections.Concurrent;
using IoVisor.Ovsdb.Caching;
using IoVisor.Ovsdb.Monitoring;
using IoVisor.Ovsdb.Schema;
using IoVisor.Ovsdb.Transactions;
using IoVisor.Ovsdb.Typed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoVisor.Ovsdb;

/// <summary>A long-lived client of one database: keeps a <see cref="Cache"/> of the tables it
/// was told to monitor, reconnects with backoff when the connection is lost, and resynchronizes so
/// that <see cref="OvsdbCache.Changed"/> reports exactly what changed meanwhile. Register tables
/// with <see cref="Monitor(string, IReadOnlyList{string}?, IReadOnlyList{OvsdbCondition}?)"/> or
/// <see cref="Monitor{T}"/>, then <see cref="StartAsync"/>.</summary>
public sealed partial class OvsdbClient : IAsyncDisposable
{
    private const string DataMonitorId = "data";

    private readonly OvsdbClientOptions options;
    private readonly IReadOnlyList<OvsdbRemote> remotes;
    private readonly ILogger logger;
    private readonly Dictionary<string, MonitorRequest> tables = new(StringComparer.Ordinal);
    private readonly List<Func<DatabaseSchema, IReadOnlyList<string>>> schemaChecks = [];
    private readonly ConcurrentDictionary<string, bool> locks = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<OvsdbConnection> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? loop;

    public OvsdbClient(IOptions<OvsdbClientOptions> options, ILogger<OvsdbClient> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        if (string.IsNullOrEmpty(this.options.Database))
        {
            throw new ArgumentException("OvsdbClientOptions.Database is required", nameof(options));
        }
        if (this.options.Remotes.Count == 0)
        {
            throw new ArgumentException("OvsdbClientOptions.Remotes needs at least one remote", nameof(options));
        }
        remotes = [.. this.options.Remotes.Select(OvsdbRemote.Parse)];
        Cache = new OvsdbCache(logger);
    }

    public OvsdbCache Cache { get; }

    /// <summary>The schema of the current (or last) connection; null before the first one.</summary>
    public DatabaseSchema? Schema { get; private set; }

    /// <summary>The remote the client is synchronized with, or null while it is not.</summary>
    public OvsdbRemote? ConnectedRemote
    {
        get
        {
            var current = Volatile.Read(ref ready).Task;
            return current.IsCompletedSuccessfully ? current.Result.Remote : null;
        }
    }

    /// <summary>Raised, on the client's session, after each connection's initial synchronization.</summary>
    public event EventHandler<OvsdbSyncedEventArgs>? Synced;

    /// <summary>Raised, on the client's session, when a connection is lost, before
    /// <see cref="ConnectedRemote"/> turns null.</summary>
    public event EventHandler<OvsdbDisconnectedEventArgs>? Disconnected;

    /// <summary>Monitors a table: <paramref name="columns"/> (null: all), the rows matching
    /// <paramref name="where"/> (null: all). Registering a table again adds columns.</summary>
    public void Monitor(string table, IReadOnlyList<string>? columns = null, IReadOnlyList<OvsdbCondition>? where = null)
    {
        Register(table, columns, where);
        schemaChecks.Add(schema => MissingColumns(schema, table, columns));
    }

    /// <summary>Monitors the table and columns <typeparamref name="T"/> maps (see
    /// <see cref="RowMapping{T}"/>), and checks at each connection that the schema can fill it.</summary>
    public void Monitor<T>() where T : class
    {
        var mapping = RowMapping<T>.Instance;
        Register(mapping.Table, mapping.Columns, null);
        schemaChecks.Add(mapping.FindProblems);
    }

    /// <summary>Starts the client and returns once the cache holds the server's contents. Throws
    /// <see cref="OvsdbSchemaMismatchException"/> (and stops) when the schema does not fit.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (loop is not null)
        {
            throw new InvalidOperationException("the client is already started");
        }
        loop = Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
        await firstSync.Task.WaitAsync(ct);
    }

    /// <summary>Runs a transaction on the database, waiting for a connection if there is none.
    /// If the connection is lost before the reply the outcome is unknown and this throws
    /// <see cref="OvsdbConnectionException"/>: the transaction is not retried.</summary>
    public async Task<IReadOnlyList<OperationResult>> TransactAsync(IReadOnlyList<OvsdbOperation> operations, CancellationToken ct) =>
        await (await ConnectionAsync(ct)).TransactAsync(options.Database, operations, ct);

    public async Task EchoAsync(CancellationToken ct) => await (await ConnectionAsync(ct)).EchoAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }
        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }
        Volatile.Read(ref ready).TrySetException(new ObjectDisposedException(nameof(OvsdbClient)));
        firstSync.TrySetException(new ObjectDisposedException(nameof(OvsdbClient)));
        stopping.Dispose();
    }

    private void Register(string table, IReadOnlyList<string>? columns, IReadOnlyList<OvsdbCondition>? where)
    {
        if (loop is not null)
        {
            throw new InvalidOperationException("tables must be registered before StartAsync");
        }
        if (tables.TryGetValue(table, out var existing))
        {
            if (existing.Where is { Count: > 0 } || where is { Count: > 0 })
            {
                throw new InvalidOperationException($"the table {table} is monitored twice, with conditions: register it once");
            }
            columns = existing.Columns is null || columns is null ? null : [.. existing.Columns.Union(columns)];
        }
        tables[table] = new MonitorRequest(table, columns, where);
    }

    private async Task<OvsdbConnection> ConnectionAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
        return await Volatile.Read(ref ready).Task.WaitAsync(ct);
    }

    // A subscriber's failure must not cost the client its connection.
    private void Raise<TArgs>(EventHandler<TArgs>? handlers, TArgs args)
    {
        foreach (var handler in handlers?.GetInvocationList().Cast<EventHandler<TArgs>>() ?? [])
        {
            try
            {
                handler(this, args);
            }
            catch (Exception e)
            {
                LogHandlerFailed(logger, typeof(TArgs).Name, e);
            }
        }
    }

    private static IReadOnlyList<string> MissingColumns(DatabaseSchema schema, string table, IReadOnlyList<string>? columns) =>
        !schema.Tables.TryGetValue(table, out var tableSchema) ? [$"the table {table} does not exist"]
        : columns is null ? []
        : [.. columns.Where(c => !tableSchema.Columns.ContainsKey(c)).Select(c => $"{table}.{c} does not exist")];

    [LoggerMessage(Level = LogLevel.Error, Message = "An event handler for {Event} threw; the client carries on")]
    private static partial void LogHandlerFailed(ILogger logger, string @event, Exception e);
}
