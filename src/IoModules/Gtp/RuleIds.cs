using System.Collections.Immutable;

namespace IoVisor.IoModules.Gtp;

/// <summary>
/// Which rule owns which slot of the per-rule counters (gtp_rule_stats). Seeded from the rules
/// the kernel already has, so counters survive a daemon restart; a slot is zeroed when it is handed
/// to a new rule. Changed under the graph's lock, read by the slow path and the API at any time.
/// </summary>
internal sealed class RuleIds
{
    private ImmutableDictionary<uint, GtpMatch> _owners;

    // No slot below this one is free: allocation resumes here instead of at 0.
    private uint _lowestFree;

    public RuleIds(IEnumerable<(uint Id, GtpMatch Match)> existing) =>
        _owners = existing.ToImmutableDictionary(e => e.Id, e => e.Match);

    public GtpMatch? OwnerOf(uint id) => Volatile.Read(ref _owners).TryGetValue(id, out var match) ? match : null;

    /// <summary>The lowest free slot, or null when every one is taken.</summary>
    public uint? Allocate(GtpMatch match)
    {
        var owners = Volatile.Read(ref _owners);
        for (var id = _lowestFree; id < GtpAbi.MaxRules; id++)
        {
            if (!owners.ContainsKey(id))
            {
                Volatile.Write(ref _owners, owners.Add(id, match));
                _lowestFree = id + 1;
                return id;
            }
        }
        return null;
    }

    public void Release(uint id)
    {
        ImmutableInterlocked.Update(ref _owners, o => o.Remove(id));
        _lowestFree = Math.Min(_lowestFree, id);
    }
}
