using IoVisor.IoModules;

namespace IoVisor.SlowPath;

/// <summary>
/// Packets waiting for a next hop to resolve, per (module, next hop). Bounded in every direction:
/// packets per next hop (the policy's queue length, oldest dropped first), next hops waiting, and
/// packets held in all. Probes go out on the first hold and then once per interval; a next hop
/// that gave up stays failed for one interval, during which new packets are unreachable at once,
/// so no next hop is probed more often than once per interval whatever the traffic.
/// Used by the slow-path thread only.
/// </summary>
public sealed class ArpHoldQueue(int maxHeldPackets, int maxNextHops)
{
    private readonly Dictionary<(int Module, uint NextHop), Pending> _pending = [];
    private int _held;

    public int HeldPackets => _held;

    public int Waiting => _pending.Count;

    public void Hold(ISlowPath slowPath, SlowPathCounters counters, int module, uint nextHop, int outPort,
        PuntRecord punt, HoldPolicy policy, INeighbourResolver resolver, long nowMs)
    {
        var key = (module, nextHop);
        if (!_pending.TryGetValue(key, out var p))
        {
            if (_pending.Count >= maxNextHops)
            {
                counters.Dropped("holdTableFull");
                return;
            }
            p = new Pending(outPort, policy, resolver);
            _pending[key] = p;
        }
        if (p.FailedUntilMs is { } failed)
        {
            if (nowMs < failed)
            {
                resolver.Unreachable(slowPath, punt);
                counters.Dropped("unresolved");
                return;
            }
            p.Restart(outPort, policy, resolver);
        }
        if (p.Packets.Count >= policy.QueueLength)
        {
            p.Packets.Dequeue();
            _held--;
            counters.Dropped("holdQueueFull");
        }
        if (_held >= maxHeldPackets)
        {
            counters.Dropped("holdLimit");
            RemoveIfEmpty(key, p);
            return;
        }
        p.Packets.Enqueue(punt);
        _held++;
        counters.Held();
        if (p.ProbesSent == 0)
        {
            Probe(slowPath, module, nextHop, p, nowMs);
        }
    }

    /// <summary>Returns the held packets of a next hop that resolved, in the order they came.</summary>
    public IReadOnlyList<PuntRecord> Release(int module, uint nextHop)
    {
        if (!_pending.Remove((module, nextHop), out var p))
        {
            return [];
        }
        _held -= p.Packets.Count;
        return p.Packets.ToList();
    }

    /// <summary>Probes again where an interval passed; gives up where the retries are spent.</summary>
    public void Tick(ISlowPath slowPath, Func<int, SlowPathCounters?> countersOf, long nowMs)
    {
        foreach (var ((module, nextHop), p) in _pending.ToList())
        {
            var counters = countersOf(module);
            if (counters is null)
            {
                Forget(module, nextHop, p);
                continue;
            }
            if (p.FailedUntilMs is { } failed)
            {
                if (nowMs >= failed)
                {
                    _pending.Remove((module, nextHop));
                }
                continue;
            }
            if (nowMs < p.NextProbeMs)
            {
                continue;
            }
            if (p.ProbesSent <= p.Policy.Retries)
            {
                Probe(slowPath, module, nextHop, p, nowMs);
                continue;
            }
            GiveUp(slowPath, counters, p, nowMs);
        }
    }

    private void GiveUp(ISlowPath slowPath, SlowPathCounters counters, Pending p, long nowMs)
    {
        var packets = p.Packets.ToList();
        p.Packets.Clear();
        _held -= packets.Count;
        p.FailedUntilMs = nowMs + (long)p.Policy.Interval.TotalMilliseconds;
        counters.Dropped("unresolved", packets.Count);
        foreach (var held in packets)
        {
            p.Resolver.Unreachable(slowPath, held);
        }
    }

    private void Forget(int module, uint nextHop, Pending p)
    {
        _held -= p.Packets.Count;
        _pending.Remove((module, nextHop));
    }

    private void RemoveIfEmpty((int, uint) key, Pending p)
    {
        if (p.Packets.Count == 0 && p.ProbesSent == 0)
        {
            _pending.Remove(key);
        }
    }

    private static void Probe(ISlowPath slowPath, int module, uint nextHop, Pending p, long nowMs)
    {
        p.ProbesSent++;
        p.NextProbeMs = nowMs + (long)p.Policy.Interval.TotalMilliseconds;
        p.Resolver.Probe(slowPath, module, p.OutPort, nextHop);
    }

    private sealed class Pending(int outPort, HoldPolicy policy, INeighbourResolver resolver)
    {
        public int OutPort { get; private set; } = outPort;

        public HoldPolicy Policy { get; private set; } = policy;

        public INeighbourResolver Resolver { get; private set; } = resolver;

        public Queue<PuntRecord> Packets { get; } = new();

        public int ProbesSent { get; set; }

        public long NextProbeMs { get; set; }

        public long? FailedUntilMs { get; set; }

        public void Restart(int port, HoldPolicy policy, INeighbourResolver resolver)
        {
            OutPort = port;
            Policy = policy;
            Resolver = resolver;
            ProbesSent = 0;
            FailedUntilMs = null;
        }
    }
}
