using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Typed;

namespace IoVisor.Ovsdb.Caching;

/// <summary>The cache's contents at one instant: immutable, so a reader sees every table as of
/// the same server transaction however long it takes.</summary>
public sealed class CacheSnapshot
{
    /// <summary>How many snapshots back <see cref="TryGetChangedRows"/> can see: older ones are let go.</summary>
    public const int ChangeHistory = 64;

    public static readonly CacheSnapshot Empty = new(ImmutableDictionary<string, ImmutableDictionary<Guid, OvsdbRow>>.Empty, null);

    // The snapshot this one was made from and the changes that made it, for readers that remap only
    // what changed; the link is cut past ChangeHistory steps, so that old snapshots are not kept.
    private CacheSnapshot? previous;
    private readonly IReadOnlyList<RowChange> changes = [];
    private readonly int depth;

    internal CacheSnapshot(ImmutableDictionary<string, ImmutableDictionary<Guid, OvsdbRow>> tables, Guid? lastTxnId)
    {
        TablesByName = tables;
        LastTxnId = lastTxnId;
    }

    private CacheSnapshot(ImmutableDictionary<string, ImmutableDictionary<Guid, OvsdbRow>> tables, Guid? lastTxnId, CacheSnapshot previous, IReadOnlyList<RowChange> changes)
        : this(tables, lastTxnId)
    {
        this.previous = previous;
        this.changes = changes;
        depth = Math.Min(previous.depth + 1, ChangeHistory);
        if (previous.depth + 1 > ChangeHistory)
        {
            var oldest = previous;
            for (var i = 1; i < ChangeHistory && oldest.previous is not null; i++)
            {
                oldest = oldest.previous;
            }
            oldest.previous = null;
        }
    }

    /// <summary>The snapshot that follows this one by <paramref name="changes"/>. One writer at a time.</summary>
    internal CacheSnapshot Next(ImmutableDictionary<string, ImmutableDictionary<Guid, OvsdbRow>> tables, Guid? lastTxnId, IReadOnlyList<RowChange> changes) =>
        new(tables, lastTxnId, this, changes);

    /// <summary>The UUIDs of <paramref name="table"/>'s rows that were inserted, updated or deleted
    /// between <paramref name="since"/> (an earlier snapshot of the same cache) and this one; false
    /// when <paramref name="since"/> is not among the last <see cref="ChangeHistory"/> snapshots.</summary>
    public bool TryGetChangedRows(CacheSnapshot since, string table, [MaybeNullWhen(false)] out HashSet<Guid> uuids)
    {
        uuids = [];
        for (var s = this; !ReferenceEquals(s, since); s = s.previous)
        {
            if (s is null)
            {
                uuids = null;
                return false;
            }
            foreach (var change in s.changes)
            {
                if (change.Table == table)
                {
                    uuids.Add(change.Uuid);
                }
            }
        }
        return true;
    }

    /// <summary>The id of the last server transaction reflected here, when the server sends ids
    /// (monitor_cond_since).</summary>
    public Guid? LastTxnId { get; }

    public IEnumerable<string> Tables => TablesByName.Keys;

    internal ImmutableDictionary<string, ImmutableDictionary<Guid, OvsdbRow>> TablesByName { get; }

    /// <summary>The rows of a table by UUID; empty for a table that is not monitored.</summary>
    public ImmutableDictionary<Guid, OvsdbRow> Table(string name) =>
        TablesByName.TryGetValue(name, out var rows) ? rows : ImmutableDictionary<Guid, OvsdbRow>.Empty;

    public bool TryGetRow(string table, Guid uuid, [MaybeNullWhen(false)] out OvsdbRow row) =>
        Table(table).TryGetValue(uuid, out row);

    /// <summary>The rows of <typeparamref name="T"/>'s table, mapped to records.</summary>
    public IEnumerable<T> Rows<T>() where T : class
    {
        var mapping = RowMapping<T>.Instance;
        return Table(mapping.Table).Values.Select(mapping.Map);
    }

    /// <summary>The row of <typeparamref name="T"/>'s table with this UUID, or null.</summary>
    public T? Row<T>(Guid uuid) where T : class
    {
        var mapping = RowMapping<T>.Instance;
        return TryGetRow(mapping.Table, uuid, out var row) ? mapping.Map(row) : null;
    }
}
