using IoVisor.Bpf;

namespace IoVisor.IoModules.Gtp;

/// <summary>Reading and zeroing the per-CPU packet and byte counts of gtp_rule_stats and gtp_counters.</summary>
internal static class PerCpuCounts
{
    public static GtpCount Sum(this BpfMap<uint, GtpCount> map, uint slot)
    {
        var sum = default(GtpCount);
        foreach (var c in map.LookupPerCpu(slot))
        {
            sum.Packets += c.Packets;
            sum.Bytes += c.Bytes;
        }
        return sum;
    }

    public static void Zero(this BpfMap<uint, GtpCount> map, uint slot) =>
        map.UpdatePerCpu(slot, new GtpCount[BpfMap.PossibleCpus]);
}
