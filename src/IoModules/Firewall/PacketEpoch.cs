using System.Diagnostics;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Firewall;

/// <summary>
/// Tells when no packet reads a generation that was just taken out of force. Every packet counts
/// itself in fw_epoch on its CPU before it reads fw_gen ("started") and after its last read of a
/// generation ("finished"), with barriers. Packets on one CPU run one after the other (softirq
/// context), so once each CPU's finished count reaches the started count it showed after the flip,
/// every packet that could have read the old generation is done. No traffic: no wait at all.
/// </summary>
internal sealed class PacketEpoch(BpfMap<uint, FwEpoch> epoch)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    public void WaitForReaders()
    {
        // The flip (a map update in the kernel, on this thread) must be visible before the counts are read.
        Interlocked.MemoryBarrier();
        var started = epoch.LookupPerCpu(0);
        var waited = Stopwatch.StartNew();
        for (var now = started; !AllFinished(started, now); now = epoch.LookupPerCpu(0))
        {
            if (waited.Elapsed > Limit)
            {
                throw new InvalidOperationException($"packets in the firewall did not finish within {Limit.TotalSeconds} s of a rule set change");
            }
            Thread.Yield();
        }
    }

    private static bool AllFinished(FwEpoch[] started, FwEpoch[] now)
    {
        for (var cpu = 0; cpu < started.Length; cpu++)
        {
            if (now[cpu].Finished < started[cpu].Started)
            {
                return false;
            }
        }
        return true;
    }
}
