using System.Collections.Immutable;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Monitoring;
using IoVisor.Ovsdb.Schema;
using Microsoft.Extensions.Logging;

namespace IoVisor.Ovsdb.Caching;

/// <summary>The local copy of the monitored tables. One writer (the client's session) applies
/// each server update as one step: the new snapshot is published first, then
/// <see cref="Changed"/> is raised on the writer's thread with that update's changes. Readers take
/// <see cref="Snapshot"/> at any time from any thread.</summary>
public sealed partial class OvsdbCache
{
    private readonly ILogger logger;
    private CacheSnapshot snapshot = CacheSnapshot.Empty;

    internal OvsdbCache(ILogger logger) => this.logger = logger;

    public CacheSnapshot Snapshot => Volatile.Read(ref snapshot);

    /// <summary>Raised after each update that changed at least one row. A handler that throws is
    /// logged and does not stop the others or the cache.</summary>
    public event EventHandler<CacheChangedEventArgs>? Changed;

    /// <summary>Applies incremental updates: monitor notifications, or (<paramref name="isResync"/>)
    /// the delta a monitor_cond_since reply sends when it found our last transaction.</summary>
    internal IReadOnlyList<RowChange> Apply(IReadOnlyList<RowUpdate> updates, DatabaseSchema schema, Guid? lastTxnId, bool isResync = false)
    {
        var current = Snapshot;
        var tables = current.TablesByName.ToBuilder();
        var changes = new List<RowChange>();
        foreach (var update in updates)
        {
            var rows = tables.TryGetValue(update.Table, out var r) ? r : ImmutableDictionary<Guid, OvsdbRow>.Empty;
            rows.TryGetValue(update.Uuid, out var old);
            var change = update.Kind switch
            {
                RowUpdateKind.Initial or RowUpdateKind.Insert => Replace(update.Table, old, new OvsdbRow(update.Uuid, update.Columns)),
                RowUpdateKind.Modify => Replace(update.Table, old, Modify(old, update, schema.Table(update.Table))),
                _ => old is null ? null : RowChange.Deleted(update.Table, old),
            };
            if (change is null)
            {
                continue;
            }
            changes.Add(change);
            tables[update.Table] = change.New is null ? rows.Remove(update.Uuid) : rows.SetItem(update.Uuid, change.New);
        }
        Publish(current.Next(tables.ToImmutable(), lastTxnId ?? current.LastTxnId, changes), changes, isResync);
        return changes;
    }

    /// <summary>Replaces <paramref name="tables"/> with their fresh contents from a new monitor,
    /// reporting only the differences from the cache: a row that did not change while we were
    /// disconnected yields no event.</summary>
    internal IReadOnlyList<RowChange> Resync(IReadOnlyList<RowUpdate> contents, IEnumerable<string> tables, Guid? lastTxnId)
    {
        var current = Snapshot;
        var fresh = contents
            .GroupBy(u => u.Table)
            .ToDictionary(g => g.Key, g => g.ToImmutableDictionary(u => u.Uuid, u => new OvsdbRow(u.Uuid, u.Columns)));
        var result = current.TablesByName.ToBuilder();
        var changes = new List<RowChange>();
        foreach (var table in tables)
        {
            var before = current.Table(table);
            var after = fresh.TryGetValue(table, out var rows) ? rows : ImmutableDictionary<Guid, OvsdbRow>.Empty;
            foreach (var row in after.Values)
            {
                if (Replace(table, before.GetValueOrDefault(row.Uuid), row) is { } change)
                {
                    changes.Add(change);
                }
            }
            changes.AddRange(before.Values.Where(row => !after.ContainsKey(row.Uuid)).Select(row => RowChange.Deleted(table, row)));
            result[table] = after;
        }
        Publish(current.Next(result.ToImmutable(), lastTxnId, changes), changes, isResync: true);
        return changes;
    }

    private static RowChange? Replace(string table, OvsdbRow? old, OvsdbRow row) =>
        old is null ? RowChange.Inserted(table, row)
        : old.Equals(row) ? null
        : RowChange.Updated(table, old, row);

    private static OvsdbRow Modify(OvsdbRow? old, RowUpdate update, TableSchema table)
    {
        if (old is null)
        {
            throw new OvsdbProtocolException($"the server modified {update.Table} row {update.Uuid}, which the cache does not have");
        }
        var columns = old.Columns.ToBuilder();
        foreach (var (name, value) in update.Columns)
        {
            var type = table.Columns[name].Type;
            columns[name] = update.IsDiff
                ? RowDiff.Apply(columns.TryGetValue(name, out var current) ? current : type.Default, value, type)
                : value;
        }
        return old.With(columns.ToImmutable());
    }

    private void Publish(CacheSnapshot next, IReadOnlyList<RowChange> changes, bool isResync)
    {
        Volatile.Write(ref snapshot, next);
        if (changes.Count == 0 || Changed is not { } handlers)
        {
            return;
        }
        var args = new CacheChangedEventArgs(changes, next, isResync);
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<CacheChangedEventArgs>>())
        {
            try
            {
                handler(this, args);
            }
            catch (Exception e)
            {
                LogHandlerFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A cache change handler threw; the cache and the other handlers carry on")]
    private static partial void LogHandlerFailed(ILogger logger, Exception e);
}
