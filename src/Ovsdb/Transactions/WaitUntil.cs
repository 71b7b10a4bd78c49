namespace IoVisor.Ovsdb.Transactions;

/// <summary>What a wait operation waits for: the rows to equal, or to differ from, the given ones.</summary>
public enum WaitUntil
{
    Equal,
    NotEqual,
}
