namespace IoVisor.Ovsdb.Schema;

/// <summary>One table of a database schema. <see cref="Columns"/> includes the implicit
/// <c>_uuid</c> and <c>_version</c> columns every table has.</summary>
/// <param name="IsRoot">Rows live without being referenced; rows of a non-root table are
/// garbage-collected when no strong reference remains.</param>
/// <param name="MaxRows">The most rows the table may hold, when limited.</param>
/// <param name="Indexes">Column sets whose values must be unique across rows.</param>
public sealed record TableSchema(
    string Name,
    IReadOnlyDictionary<string, ColumnSchema> Columns,
    bool IsRoot,
    long? MaxRows,
    IReadOnlyList<IReadOnlyList<string>> Indexes)
{
    public const string UuidColumn = "_uuid";
    public const string VersionColumn = "_version";

    /// <summary>The columns a client normally wants: all but the implicit ones.</summary>
    public IEnumerable<ColumnSchema> DataColumns =>
        Columns.Values.Where(c => c.Name is not UuidColumn and not VersionColumn);
}
