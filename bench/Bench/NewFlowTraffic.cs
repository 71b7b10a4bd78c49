using System.Diagnostics;
using System.Globalization;

namespace IoVisor.Bench;

/// <summary>
/// Runs where every frame is a new flow (<see cref="Traffic.SendNewFlows"/>), sized so that the
/// conntrack entries they make stay well inside the tables: Linux's in the root namespace, which
/// is the host's own table too, and the modules' (262,144 entries, LRU).
/// </summary>
internal sealed class NewFlowTraffic(Traffic traffic, uint frames, uint warmup)
{
    /// <summary>The share of nf_conntrack_max the bench may fill, the host's own entries included.</summary>
    private const double ConntrackShare = 0.75;

    /// <summary>Unreplied UDP entries expire after 30 s (nf_conntrack_udp_timeout): a bit more than that.</summary>
    private static readonly TimeSpan ConntrackRoomWait = TimeSpan.FromSeconds(45);

    /// <summary>New flows per measured run.</summary>
    public uint Frames => frames;

    /// <summary>
    /// Sends through the device under test. When Linux tracks the flows, first waits until the
    /// host's conntrack table has room for them: flows an earlier case left there (DNAT entries
    /// stay until their timeout) must not push the host's own connections into a full table.
    /// </summary>
    public double Send(byte[] frame, FlowSpread spread, bool kernelConntrack)
    {
        if (kernelConntrack)
        {
            WaitForConntrackRoom(frames + warmup);
        }
        return traffic.SendNewFlows(frame, frames, warmup, spread);
    }

    private static void WaitForConntrackRoom(uint flows)
    {
        const string dir = "/proc/sys/net/netfilter";
        if (!File.Exists($"{dir}/nf_conntrack_count"))
        {
            return; // conntrack not loaded yet: an empty table
        }
        long max = long.Parse(File.ReadAllText($"{dir}/nf_conntrack_max"), CultureInfo.InvariantCulture);
        var waited = Stopwatch.StartNew();
        long count;
        while ((count = long.Parse(File.ReadAllText($"{dir}/nf_conntrack_count"), CultureInfo.InvariantCulture)) + flows > max * ConntrackShare)
        {
            if (waited.Elapsed > ConntrackRoomWait)
            {
                throw new InvalidOperationException($"the conntrack table holds {count:N0} of {max:N0} entries: no room for {flows:N0} new flows");
            }
            Thread.Sleep(500);
        }
    }
}
