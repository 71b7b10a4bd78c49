namespace IoVisor.Ovsdb.Caching;

public enum RowChangeKind
{
    Inserted,
    Updated,
    Deleted,
}
