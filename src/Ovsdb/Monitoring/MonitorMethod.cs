namespace IoVisor.Ovsdb.Monitoring;

/// <summary>The monitor request methods, oldest first. Each newer one does what the older ones do
/// and more: update2 diffs (cond) and resuming after a given transaction (cond_since).</summary>
public enum MonitorMethod
{
    /// <summary>RFC 7047 "monitor": "update" notifications with whole old and new values.</summary>
    Monitor,

    /// <summary>"monitor_cond" (OVS 2.6): conditions, and "update2" notifications with diffs.</summary>
    MonitorCond,

    /// <summary>"monitor_cond_since" (OVS 2.12): as monitor_cond, plus resuming after the last
    /// transaction seen, with "update3" notifications that carry transaction ids.</summary>
    MonitorCondSince,
}
