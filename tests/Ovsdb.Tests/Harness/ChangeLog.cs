using IoVisor.Ovsdb.Caching;
using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Tests.Harness;

/// <summary>Records a cache's change events as short lines ("Inserted Logical_Switch sw0",
/// "Updated Logical_Switch sw0 ports"), to compare event streams exactly.</summary>
internal sealed class ChangeLog
{
    private readonly List<string> lines = [];

    public ChangeLog(OvsdbCache cache) => cache.Changed += (_, e) =>
    {
        lock (lines)
        {
            lines.AddRange(e.Changes.Select(Describe));
        }
    };

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (lines)
            {
                return lines.Count;
            }
        }
    }

    /// <summary>The lines recorded after the first <paramref name="skip"/>.</summary>
    public IReadOnlyList<string> Since(int skip) => [.. Lines.Skip(skip)];

    public Task WaitForCountAsync(int count) => Eventually.TrueAsync(() => Count >= count, $"{count} change events (have: {string.Join("; ", Lines)})");

    public static string Describe(RowChange change)
    {
        var row = (change.New ?? change.Old)!;
        var name = row.TryGetValue("name", out var n) && n is OvsdbAtom { Type: AtomType.String } atom ? atom.AsString : row.Uuid.ToString();
        if (change.Kind != RowChangeKind.Updated)
        {
            return $"{change.Kind} {change.Table} {name}";
        }
        var changed = change.New!.Columns
            .Where(c => !change.Old!.Columns.TryGetValue(c.Key, out var old) || !old.Equals(c.Value))
            .Select(c => c.Key)
            .Order(StringComparer.Ordinal);
        return $"Updated {change.Table} {name} {string.Join(",", changed)}";
    }
}
