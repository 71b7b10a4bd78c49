namespace IoVisor.Ovsdb.Schema;

/// <summary>One column of a table schema.</summary>
/// <param name="Ephemeral">The server does not persist the column across restarts.</param>
/// <param name="Mutable">Transactions may change the column after the row is inserted.</param>
public sealed record ColumnSchema(string Name, ColumnType Type, bool Ephemeral = false, bool Mutable = true);
