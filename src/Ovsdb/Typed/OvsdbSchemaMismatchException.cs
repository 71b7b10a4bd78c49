namespace IoVisor.Ovsdb.Typed;

/// <summary>The server's schema lacks tables or columns the client needs, or has them with types
/// the client's records cannot hold. Connecting again will not help.</summary>
public sealed class OvsdbSchemaMismatchException(string database, IReadOnlyList<string> problems)
    : OvsdbException($"the {database} schema does not match what this client needs:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}")
{
    public string Database { get; } = database;

    public IReadOnlyList<string> Problems { get; } = problems;
}
