using IoVisor.OvnBridge.Model;

namespace IoVisor.OvnBridge.Service;

/// <summary>What GET /ovn/status shows.</summary>
/// <param name="Enabled">Whether hoverd was pointed at OVN (--ovn-nb).</param>
/// <param name="State">off (no --ovn-nb), waiting (for the first synchronization of both databases),
/// applied, refused (some objects were refused; the rest is applied and they are retried), or failed
/// (the last change did not reach the datapath; it is retried).</param>
/// <param name="Error">Why the last change failed, when it did.</param>
/// <param name="Northbound">The OVN northbound connection.</param>
/// <param name="OpenVswitch">The local Open_vSwitch connection.</param>
/// <param name="LastApplied">The last database state that reached the datapath; null before the first.</param>
/// <param name="Counts">What the last translation found and made.</param>
/// <param name="Untranslated">Every row left out, wholly or in part (partial), with the reason.</param>
public sealed record OvnStatus(
    bool Enabled,
    string State,
    string? Error,
    OvnDatabaseStatus Northbound,
    OvnDatabaseStatus OpenVswitch,
    OvnAppliedState? LastApplied,
    TranslationCounts? Counts,
    IReadOnlyList<UntranslatedRow> Untranslated);

/// <param name="Remotes">The configured remotes.</param>
/// <param name="Connected">The remote the client is synchronized with; null while disconnected.</param>
/// <param name="Synchronized">Whether its contents were received at least once.</param>
/// <param name="LastError">Why the last connection ended or failed.</param>
/// <param name="Updates">Change notifications received.</param>
public sealed record OvnDatabaseStatus(IReadOnlyList<string> Remotes, string? Connected, bool Synchronized, string? LastError, long Updates);

/// <param name="Sequence">Counts the changes applied since the daemon started.</param>
/// <param name="NbTransaction">The id of the last northbound transaction applied (monitor_cond_since);
/// null when the server keeps none (a standalone ovsdb-server).</param>
/// <param name="NbCfg">NB_Global nb_cfg of the state applied (bumped by ovn-nbctl --wait).</param>
/// <param name="At">When it was applied.</param>
/// <param name="Changes">Objects created, changed or deleted by that apply.</param>
/// <param name="TranslateMilliseconds">Time to translate the databases.</param>
/// <param name="ApplyMilliseconds">Time for Hover to apply the difference.</param>
public sealed record OvnAppliedState(long Sequence, Guid? NbTransaction, long? NbCfg, DateTimeOffset At, int Changes, double TranslateMilliseconds, double ApplyMilliseconds);
