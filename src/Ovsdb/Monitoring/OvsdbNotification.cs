namespace IoVisor.Ovsdb.Monitoring;

/// <summary>A notification from the server, in arrival order on
/// <see cref="OvsdbConnection.Notifications"/>.</summary>
public abstract record OvsdbNotification;

/// <summary>An "update", "update2" or "update3" notification for one monitor: the changes of one
/// committed transaction. <see cref="LastTxnId"/> comes with update3 only.</summary>
public sealed record MonitorUpdate(string MonitorId, IReadOnlyList<RowUpdate> Updates, Guid? LastTxnId) : OvsdbNotification;

/// <summary>"locked" (a lock requested earlier is now ours) or "stolen" (another client took it).</summary>
public sealed record LockNotification(string LockId, bool Acquired) : OvsdbNotification;

/// <summary>"monitor_canceled": the server ended a monitor on its own, e.g. its database was removed.</summary>
public sealed record MonitorCanceled(string MonitorId) : OvsdbNotification;
