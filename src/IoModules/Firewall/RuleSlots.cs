using IoVisor.Bpf;

namespace IoVisor.IoModules.Firewall;

/// <summary>The rules as the kernel keeps them for a restarted daemon (fw_rules) and their hit
/// counters (fw_hits), by slot.</summary>
internal sealed class RuleSlots(BpfMap<uint, FwRule> rules, BpfMap<uint, FwHits> hits)
{
    private readonly FwHits[] _zero = new FwHits[BpfMap.PossibleCpus];

    /// <summary>How many slots the maps were made with (config.maxRules decides, twice over).</summary>
    public int Count { get; } = rules.Map.MaxEntries;

    /// <summary>Every slot that holds a rule, with its serial.</summary>
    public IEnumerable<(int Slot, uint Serial, FirewallRule Rule)> Occupied() => rules.LookupBatch()
        .Where(e => e.Value.Serial != 0)
        .Select(e => ((int)e.Key, e.Value.Serial, FirewallRule.FromKernel(e.Value)!));

    public void Write(InstalledRule rule) => rules.Update((uint)rule.Slot, rule.Rule.ToKernel(rule.Serial));

    /// <summary>Empties a slot no packet can reach any more, counters included, for a later rule.</summary>
    public void Free(int slot)
    {
        rules.Update((uint)slot, default);
        hits.UpdatePerCpu((uint)slot, _zero);
    }

    public FwHits HitsOf(int slot)
    {
        var sum = default(FwHits);
        foreach (var h in hits.LookupPerCpu((uint)slot))
        {
            sum.Packets += h.Packets;
            sum.Bytes += h.Bytes;
        }
        return sum;
    }
}
