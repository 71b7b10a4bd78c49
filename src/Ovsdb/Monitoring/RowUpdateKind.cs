namespace IoVisor.Ovsdb.Monitoring;

public enum RowUpdateKind
{
    /// <summary>The row existed when the monitor started.</summary>
    Initial,
    Insert,
    Modify,
    Delete,
}
