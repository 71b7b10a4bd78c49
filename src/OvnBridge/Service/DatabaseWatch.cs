using IoVisor.Ovsdb;
using IoVisor.Ovsdb.Caching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoVisor.OvnBridge.Service;

/// <summary>One monitored database: its client (which reconnects and resynchronizes on its own),
/// whether it has been synchronized, and its connection history for the status.</summary>
internal sealed partial class DatabaseWatch : IAsyncDisposable
{
    private readonly ILogger logger;
    private readonly IReadOnlyList<string> remotes;
    private readonly Action changed;
    private string? lastError;
    private long updates;
    private volatile bool synchronized;
    private Task? starting;

    public DatabaseWatch(string database, IReadOnlyList<string> remotes, Action<OvsdbClient> monitor, Action changed, ILoggerFactory loggers)
    {
        logger = loggers.CreateLogger<DatabaseWatch>();
        this.remotes = remotes;
        this.changed = changed;
        Client = new OvsdbClient(Options.Create(new OvsdbClientOptions
        {
            Remotes = [.. remotes],
            Database = database,
            MinBackoff = TimeSpan.FromMilliseconds(250),
            MaxBackoff = TimeSpan.FromSeconds(4),
        }), loggers.CreateLogger<OvsdbClient>());
        monitor(Client);
        Client.Cache.Changed += OnChanged;
        Client.Synced += OnSynced;
        Client.Disconnected += (_, e) => lastError = e.Reason.Message;
    }

    public OvsdbClient Client { get; }

    /// <summary>The cache holds the server's contents (as of the last connection).</summary>
    public bool Synchronized => synchronized;

    public CacheSnapshot Snapshot => Client.Cache.Snapshot;

    public OvnDatabaseStatus Status => new(remotes, Client.ConnectedRemote?.Text, synchronized, lastError, Interlocked.Read(ref updates));

    /// <summary>Starts connecting in the background: a server that is down must not hold up the daemon.</summary>
    public void Start(CancellationToken stop) => starting = RunAsync(stop);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        if (starting is not null)
        {
            await starting;
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await Client.StartAsync(stop);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
        catch (Exception e)
        {
            // A schema that does not fit: the client has stopped for good.
            lastError = e.Message;
            LogStartFailed(logger, remotes.FirstOrDefault() ?? "", e);
        }
    }

    private void OnChanged(object? sender, CacheChangedEventArgs e)
    {
        Interlocked.Increment(ref updates);
        changed();
    }

    private void OnSynced(object? sender, OvsdbSyncedEventArgs e)
    {
        synchronized = true;
        lastError = null;
        changed();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot follow the database at {Remote}")]
    private static partial void LogStartFailed(ILogger logger, string remote, Exception e);
}
