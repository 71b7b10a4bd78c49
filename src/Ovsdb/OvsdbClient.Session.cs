using IoVisor.Ovsdb.Monitoring;
using IoVisor.Ovsdb.Schema;
using IoVisor.Ovsdb.Typed;
using Microsoft.Extensions.Logging;

namespace IoVisor.Ovsdb;

/// <summary>The client's session loop: connect, check, synchronize, follow notifications;
/// on any failure back off and start over with the next remote.</summary>
public sealed partial class OvsdbClient
{
    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = new ReconnectBackoff(options.MinBackoff, options.MaxBackoff);
        for (var attempt = 0; !stop.IsCancellationRequested; attempt++)
        {
            var remote = remotes[attempt % remotes.Count];
            try
            {
                await RunSessionAsync(remote, backoff, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (OvsdbSchemaMismatchException e) when (!firstSync.Task.IsCompleted)
            {
                LogSchemaMismatch(logger, e);
                firstSync.TrySetException(e);
                return;
            }
            catch (Exception e)
            {
                // Whatever went wrong was specific to that connection: the next one starts clean.
                // Expected failures (server down, follower) need no stack trace in the log.
                LogSessionFailed(logger, remote.Text, e.Message, e is OvsdbException ? null : e);
            }
            try
            {
                await Task.Delay(backoff.Next(), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunSessionAsync(OvsdbRemote remote, ReconnectBackoff backoff, CancellationToken stop)
    {
        await using var connection = await OvsdbConnection.ConnectAsync(remote, options.Connection, logger, stop);
        var schema = await connection.GetSchemaAsync(options.Database, stop);
        var problems = schemaChecks.SelectMany(check => check(schema)).Distinct().ToList();
        if (problems.Count > 0)
        {
            throw new OvsdbSchemaMismatchException(options.Database, problems);
        }
        var leader = options.LeaderOnly ? await LeaderWatch.StartAsync(connection, options.Database, stop) : null;
        if (leader?.Problem is { } notLeader)
        {
            throw new OvsdbConnectionException($"not using {remote}: {notLeader}");
        }
        var synced = await SynchronizeAsync(connection, schema, stop);
        Schema = schema;
        await ReacquireLocksAsync(connection, stop);
        Volatile.Read(ref ready).TrySetResult(connection);
        backoff.Reset();
        LogSynced(logger, remote.Text, synced.Method, synced.Found, synced.RowsReceived, synced.Changes.Count);
        Raise(Synced, synced);
        firstSync.TrySetResult();
        Exception? lost = null;
        try
        {
            await foreach (var notification in connection.Notifications.ReadAllAsync(stop))
            {
                Handle(notification, schema, leader, remote);
            }
            throw new OvsdbConnectionException($"the connection to {remote} was closed");
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            lost = e;
            throw;
        }
        finally
        {
            // Told before ConnectedRemote turns null: whoever sees the client disconnected can see why.
            if (lost is not null)
            {
                Raise(Disconnected, new OvsdbDisconnectedEventArgs(remote, lost));
            }
            Volatile.Write(ref ready, new TaskCompletionSource<OvsdbConnection>(TaskCreationOptions.RunContinuationsAsynchronously));
            foreach (var (lockId, held) in locks)
            {
                if (held)
                {
                    SetLock(lockId, held: false);
                }
            }
        }
    }

    // Tries the newest allowed monitor method first and falls back while the server does not know it.
    private async Task<OvsdbSyncedEventArgs> SynchronizeAsync(OvsdbConnection connection, DatabaseSchema schema, CancellationToken ct)
    {
        if (tables.Count == 0)
        {
            return new OvsdbSyncedEventArgs(connection.Remote, options.MonitorMethod, false, 0, []);
        }
        var requests = tables.Values.ToList();
        for (var method = options.MonitorMethod; ; method--)
        {
            try
            {
                var lastTxnId = method == MonitorMethod.MonitorCondSince ? Cache.Snapshot.LastTxnId : null;
                var result = await connection.MonitorAsync(options.Database, DataMonitorId, requests, method, lastTxnId, ct);
                var changes = result.Found
                    ? Cache.Apply(result.Updates, schema, result.LastTxnId, isResync: true)
                    : Cache.Resync(result.Updates, tables.Keys, result.LastTxnId);
                return new OvsdbSyncedEventArgs(connection.Remote, method, result.Found, result.Updates.Count, changes);
            }
            catch (OvsdbRpcException e) when (e.IsUnknownMethod && method > MonitorMethod.Monitor)
            {
                LogFallback(logger, connection.Remote.Text, method, method - 1);
            }
        }
    }

    private void Handle(OvsdbNotification notification, DatabaseSchema schema, LeaderWatch? leader, OvsdbRemote remote)
    {
        switch (notification)
        {
            case MonitorUpdate { MonitorId: DataMonitorId } update:
                Cache.Apply(update.Updates, schema, update.LastTxnId);
                break;
            case MonitorUpdate { MonitorId: LeaderWatch.MonitorId } update when leader is not null:
                leader.Apply(update.Updates);
                if (leader.Problem is { } problem)
                {
                    throw new OvsdbConnectionException($"leaving {remote}: {problem}");
                }
                break;
            case LockNotification lockNotification when locks.ContainsKey(lockNotification.LockId):
                SetLock(lockNotification.LockId, lockNotification.Acquired);
                break;
            case MonitorCanceled canceled:
                throw new OvsdbConnectionException($"{remote} canceled the monitor {canceled.MonitorId}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Synchronized with {Remote} by {Method} (found: {Found}): {Rows} row updates, {Changes} changes")]
    private static partial void LogSynced(ILogger logger, string remote, MonitorMethod method, bool found, int rows, int changes);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Remote} does not know {Method}; falling back to {Fallback}")]
    private static partial void LogFallback(ILogger logger, string remote, MonitorMethod method, MonitorMethod fallback);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session with {Remote} ended: {Reason}")]
    private static partial void LogSessionFailed(ILogger logger, string remote, string reason, Exception? e);

    [LoggerMessage(Level = LogLevel.Error, Message = "The server's schema does not fit this client; not retrying")]
    private static partial void LogSchemaMismatch(ILogger logger, Exception e);
}
