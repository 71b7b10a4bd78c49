namespace IoVisor.Ovsdb.Caching;

/// <summary>The changes of one update (one server transaction, or one resynchronization after a
/// reconnect), and the snapshot they produced.</summary>
public sealed class CacheChangedEventArgs(IReadOnlyList<RowChange> changes, CacheSnapshot snapshot, bool isResync) : EventArgs
{
    public IReadOnlyList<RowChange> Changes { get; } = changes;

    /// <summary>The cache as it is right after these changes, whatever happened since.</summary>
    public CacheSnapshot Snapshot { get; } = snapshot;

    /// <summary>The changes are what happened while the client was disconnected, found by
    /// comparing the server's fresh contents with the cache.</summary>
    public bool IsResync { get; } = isResync;
}
