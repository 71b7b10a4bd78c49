using System.Collections.Immutable;
using IoVisor.Ovsdb.Caching;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Typed;

namespace IoVisor.OvnBridge.Translation;

/// <summary>Maps a table of cache snapshots to records, mapping again only the rows that changed:
/// an unchanged row is the same <see cref="OvsdbRow"/> instance in the next snapshot, and keeps
/// its record; an unchanged table is the same instance too, and keeps its dictionary. Later stages
/// recognize both by reference.</summary>
internal sealed class TypedRowCache<T> where T : class
{
    private Dictionary<Guid, (OvsdbRow Row, T Record)> previous = [];
    private ImmutableDictionary<Guid, OvsdbRow>? previousTable;
    private IReadOnlyDictionary<Guid, T> previousRecords = new Dictionary<Guid, T>();

    public IReadOnlyDictionary<Guid, T> Map(CacheSnapshot snapshot)
    {
        var mapping = RowMapping<T>.Instance;
        var rows = snapshot.Table(mapping.Table);
        if (ReferenceEquals(rows, previousTable))
        {
            return previousRecords;
        }
        var next = new Dictionary<Guid, (OvsdbRow, T)>(rows.Count);
        var records = new Dictionary<Guid, T>(rows.Count);
        foreach (var (uuid, row) in rows)
        {
            var record = previous.TryGetValue(uuid, out var old) && ReferenceEquals(old.Row, row) ? old.Record : mapping.Map(row);
            next[uuid] = (row, record);
            records[uuid] = record;
        }
        previous = next;
        previousTable = rows;
        previousRecords = records;
        return records;
    }
}
