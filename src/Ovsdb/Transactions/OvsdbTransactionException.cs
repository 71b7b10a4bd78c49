namespace IoVisor.Ovsdb.Transactions;

/// <summary>A transaction failed and nothing of it was committed. <see cref="OperationIndex"/> is
/// the index of the failing operation; when it equals <see cref="OperationCount"/> every operation
/// succeeded and the commit itself failed (referential integrity, constraint violation, ...), which
/// the server reports as an extra result after the operations'.</summary>
public sealed class OvsdbTransactionException : OvsdbException
{
    public OvsdbTransactionException(string database, int operationIndex, int operationCount, string? operation, string error, string? details)
        : base(Describe(database, operationIndex, operationCount, operation, error, details))
    {
        Database = database;
        OperationIndex = operationIndex;
        OperationCount = operationCount;
        Operation = operation;
        Error = error;
        Details = details;
    }

    public string Database { get; }

    public int OperationIndex { get; }

    public int OperationCount { get; }

    /// <summary>The failing operation's "op" (and table), or null when the commit failed.</summary>
    public string? Operation { get; }

    /// <summary>The RFC 7047 error string, e.g. "constraint violation".</summary>
    public string Error { get; }

    public string? Details { get; }

    public bool IsCommitError => OperationIndex >= OperationCount;

    private static string Describe(string database, int index, int count, string? operation, string error, string? details)
    {
        var where = index < count
            ? $"operation {index} ({operation})"
            : $"commit after all {count} operations";
        return details is null
            ? $"transaction on {database} failed at {where}: {error}"
            : $"transaction on {database} failed at {where}: {error}: {details}";
    }
}
