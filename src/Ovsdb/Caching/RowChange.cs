using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Caching;

/// <summary>A change the cache went through: <see cref="Old"/> is null for an insertion,
/// <see cref="New"/> for a deletion, and both are set for an update.</summary>
public sealed record RowChange(string Table, RowChangeKind Kind, OvsdbRow? Old, OvsdbRow? New)
{
    public Guid Uuid => (New ?? Old)!.Uuid;

    public static RowChange Inserted(string table, OvsdbRow row) => new(table, RowChangeKind.Inserted, null, row);

    public static RowChange Updated(string table, OvsdbRow old, OvsdbRow @new) => new(table, RowChangeKind.Updated, old, @new);

    public static RowChange Deleted(string table, OvsdbRow row) => new(table, RowChangeKind.Deleted, row, null);
}
