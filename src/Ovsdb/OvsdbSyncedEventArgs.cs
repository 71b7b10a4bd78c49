using IoVisor.Ovsdb.Caching;
using IoVisor.Ovsdb.Monitoring;

namespace IoVisor.Ovsdb;

/// <summary>The client connected and brought its cache up to date.</summary>
/// <param name="found">monitor_cond_since found our last transaction, so the server sent only what
/// changed after it; otherwise it sent everything and the cache was compared with it.</param>
/// <param name="rowsReceived">How many row updates the server sent to resynchronize.</param>
/// <param name="changes">What changed in the cache while the client was disconnected (or
/// everything, on the first connection).</param>
public sealed class OvsdbSyncedEventArgs(OvsdbRemote remote, MonitorMethod method, bool found, int rowsReceived, IReadOnlyList<RowChange> changes) : EventArgs
{
    public OvsdbRemote Remote { get; } = remote;

    public MonitorMethod Method { get; } = method;

    public bool Found { get; } = found;

    public int RowsReceived { get; } = rowsReceived;

    public IReadOnlyList<RowChange> Changes { get; } = changes;
}
