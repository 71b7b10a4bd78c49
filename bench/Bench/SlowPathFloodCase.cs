using System.Text.Json.Nodes;

namespace IoVisor.Bench;

/// <summary>One run of broadcast frames through punt and re-inject, with the daemon's own account.</summary>
internal sealed record SlowPathRun(double Pps, long Sent, long Punted, long Injected, long Delivered);

/// <summary>
/// HostIn → bridge b1 → (module link) → bridge b2 → HostOut, broadcast frames: b1 floods each one
/// to its module peer, which only the slow path can do (punt to the ring buffer, userspace,
/// injection device, b2), and b2 floods it out of HostOut to the receiver.
/// </summary>
internal sealed class SlowPathFloodCase(Topology topo, Traffic traffic, Daemon daemon, Cleanup cleanup, uint frames)
{
    /// <summary>No frame for this long: the rest of those in flight are lost. Far above the slow
    /// path's per-frame time, so a lost frame costs the measured rate only this once.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(200);

    private readonly byte[] _frame = Frames.Udp(Frames.Broadcast, topo.SenderMac, Frames.SenderIp, Frames.BridgedReceiverIp);

    public SlowPathRun Measure(string hook)
    {
        using var b1 = DaemonModule.Create(daemon, cleanup, $"benchf1{hook}", "bridge", hook);
        using var b2 = DaemonModule.Create(daemon, cleanup, $"benchf2{hook}", "bridge", hook);
        foreach (var bridge in new[] { b1, b2 })
        {
            bridge.AddPort("p1");
            bridge.AddPort("p2");
        }
        b1.Link("p1", $"netdev:{topo.HostIn}");
        b1.Link("p2", $"{b2.Name}:p1");
        b2.Link("p2", $"netdev:{topo.HostOut}");
        double pps;
        long sent, delivered;
        // In XDP mode b1's own program gives HostIn NAPI.
        using (hook == "tc" ? traffic.Napi(topo.HostInIfindex) : null)
        {
            (pps, sent, delivered) = traffic.SendThroughSlowPath(_frame, frames, Stall);
        }
        var slowPath = b1.Get("stats")["slowPath"]!.AsObject();
        return new SlowPathRun(pps, sent, Counter(slowPath, "punted.floodCopy"), Counter(slowPath, "injected"), delivered);
    }

    private static long Counter(JsonObject counters, string name) => (long?)counters[name] ?? 0;
}
