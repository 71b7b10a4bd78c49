using System.Collections.Immutable;
using IoVisor.Ovsdb.Caching;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Typed;

namespace IoVisor.OvnBridge.Translation;

/// <summary>Maps a table of cache snapshots to records, mapping again only the rows that changed:
/// an unchanged row is the same <see cref="OvsdbRow"/> instance in the next snapshot, and keeps
/// its record; an unchanged table is the same instance too, and keeps its dictionary. Later stages
/// recognize both by reference. When the cache can tell which rows changed since the last snapshot
/// mapped, only those are looked at; a table of 10,000 rows is not walked again for one change.</summary>
internal sealed class TypedRowCache<T> where T : class
{
    private CacheSnapshot? previousSnapshot;
    private ImmutableDictionary<Guid, OvsdbRow> previousTable = ImmutableDictionary<Guid, OvsdbRow>.Empty;
    private Dictionary<Guid, T> previousRecords = [];

    public IReadOnlyDictionary<Guid, T> Map(CacheSnapshot snapshot)
    {
        var mapping = RowMapping<T>.Instance;
        var rows = snapshot.Table(mapping.Table);
        if (!ReferenceEquals(rows, previousTable))
        {
            previousRecords = previousSnapshot is not null && snapshot.TryGetChangedRows(previousSnapshot, mapping.Table, out var changed)
                ? Remap(rows, changed, mapping)
                : MapAll(rows, mapping);
            previousTable = rows;
        }
        previousSnapshot = snapshot;
        return previousRecords;
    }

    private Dictionary<Guid, T> Remap(ImmutableDictionary<Guid, OvsdbRow> rows, HashSet<Guid> changed, RowMapping<T> mapping)
    {
        var records = new Dictionary<Guid, T>(previousRecords);
        foreach (var uuid in changed)
        {
            if (rows.TryGetValue(uuid, out var row))
            {
                records[uuid] = mapping.Map(row);
            }
            else
            {
                records.Remove(uuid);
            }
        }
        return records;
    }

    private Dictionary<Guid, T> MapAll(ImmutableDictionary<Guid, OvsdbRow> rows, RowMapping<T> mapping)
    {
        var records = new Dictionary<Guid, T>(rows.Count);
        foreach (var (uuid, row) in rows)
        {
            records[uuid] = previousTable.TryGetValue(uuid, out var old) && ReferenceEquals(old, row) && previousRecords.TryGetValue(uuid, out var record)
                ? record
                : mapping.Map(row);
        }
        return records;
    }
}
