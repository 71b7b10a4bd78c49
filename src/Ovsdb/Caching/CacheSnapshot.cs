using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Typed;

namespace IoVisor.Ovsdb.Caching;

/// <summary>The cache's contents at one instant: immutable, so a reader sees every table as of
/// the same server transaction however long it takes.</summary>
public sealed class CacheSnapshot
{
    public static readonly CacheSnapshot Empty = new(ImmutableDictionary<string, ImmutableDictionary<Guid, OvsdbRow>>.Empty, null);

    internal CacheSnapshot(ImmutableDictionary<string, ImmutableDictionary<Guid, OvsdbRow>> tables, Guid? lastTxnId)
    {
        TablesByName = tables;
        LastTxnId = lastTxnId;
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
