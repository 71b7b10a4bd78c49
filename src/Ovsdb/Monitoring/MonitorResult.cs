namespace IoVisor.Ovsdb.Monitoring;

/// <summary>The reply to a monitor request. <see cref="Found"/> is true only for
/// monitor_cond_since when the server still had the requested transaction: then
/// <see cref="Updates"/> holds only the changes since it; otherwise it holds the initial contents.
/// <see cref="LastTxnId"/> is set by monitor_cond_since only (all zeros when the server keeps no
/// transaction history, as for standalone databases).</summary>
public sealed record MonitorResult(MonitorMethod Method, bool Found, Guid? LastTxnId, IReadOnlyList<RowUpdate> Updates);
