namespace IoVisor.Ovsdb.Typed;

/// <summary>How a record parameter holds a column.</summary>
internal enum ColumnShape
{
    /// <summary>A non-nullable atom type: the column must hold exactly one atom.</summary>
    Scalar,

    /// <summary>A nullable atom type: the column holds at most one atom, null when empty.</summary>
    Optional,

    /// <summary><c>IReadOnlyList&lt;E&gt;</c>: any set column, in OVSDB order.</summary>
    Set,

    /// <summary><c>IReadOnlyDictionary&lt;K,V&gt;</c>: a map column.</summary>
    Map,
}
