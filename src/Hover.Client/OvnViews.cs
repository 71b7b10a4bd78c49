namespace IoVisor.Hover.Client;

/// <summary>GET /ovn/status (README, "OVN").</summary>
/// <param name="Enabled">Whether hoverd was pointed at OVN (--ovn-nb).</param>
/// <param name="State">off, waiting, applied, refused (some objects refused, retried) or failed (retried).</param>
/// <param name="Error">Why the last change failed, when it did.</param>
/// <param name="Northbound">The OVN northbound connection.</param>
/// <param name="OpenVswitch">The local Open_vSwitch connection.</param>
/// <param name="LastApplied">The last database state in the datapath; null before the first.</param>
/// <param name="Counts">What the last translation found and made.</param>
/// <param name="Untranslated">Every row left out, wholly or in part, with the reason.</param>
public sealed record OvnStatusView(
    bool Enabled,
    string State,
    string? Error,
    OvnDatabaseView Northbound,
    OvnDatabaseView OpenVswitch,
    OvnAppliedView? LastApplied,
    OvnCountsView? Counts,
    IReadOnlyList<OvnUntranslatedView> Untranslated);

/// <summary>One database connection of the OVN bridge.</summary>
/// <param name="Remotes">The configured remotes.</param>
/// <param name="Connected">The remote the bridge is synchronized with; null while disconnected.</param>
/// <param name="Synchronized">Whether its contents were received at least once.</param>
/// <param name="LastError">Why the last connection ended or failed.</param>
/// <param name="Updates">Change notifications received.</param>
public sealed record OvnDatabaseView(IReadOnlyList<string> Remotes, string? Connected, bool Synchronized, string? LastError, long Updates);

/// <summary>The last database state the OVN bridge put in the datapath, and what it took.</summary>
public sealed record OvnAppliedView(long Sequence, Guid? NbTransaction, long? NbCfg, DateTimeOffset At, int Changes, double TranslateMilliseconds, double ApplyMilliseconds);

/// <summary>What the last translation found in the databases and made of it.</summary>
public sealed record OvnCountsView(
    int Switches,
    int LocalSwitches,
    int Routers,
    int LocalRouters,
    int SwitchPorts,
    int BoundPorts,
    int RemotePorts,
    int RouterPorts,
    int Acls,
    int FirewallRules,
    int NatRules,
    int LoadBalancers,
    int LoadBalancerVips,
    int StaticRoutes,
    int Modules,
    int Links,
    int Entries);

/// <summary>A northbound or Open_vSwitch row left out of the graph, wholly or in part.</summary>
public sealed record OvnUntranslatedView(string Table, Guid Uuid, string? Name, string Reason, bool Partial);
