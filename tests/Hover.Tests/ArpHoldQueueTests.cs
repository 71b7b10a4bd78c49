using IoVisor.IoModules;
using IoVisor.SlowPath;

namespace IoVisor.Hover.Tests;

/// <summary>The hold queue's bounds and timers, driven by an explicit clock.</summary>
public sealed class ArpHoldQueueTests
{
    private static readonly HoldPolicy Policy = new(QueueLength: 3, Retries: 2, Interval: TimeSpan.FromSeconds(1));

    [Fact]
    public void The_first_hold_probes_at_once_and_later_holds_do_not()
    {
        var (queue, slowPath, resolver, counters) = Make();
        for (var i = 0; i < 3; i++)
        {
            queue.Hold(slowPath, counters, 1, 42, 2, Punt(i), Policy, resolver, nowMs: 10 * i);
        }
        Assert.Equal([(2, 42u)], resolver.Probes);
        Assert.Equal(3, queue.HeldPackets);
    }

    [Fact]
    public void A_full_queue_drops_the_oldest_and_release_keeps_the_order()
    {
        var (queue, slowPath, resolver, counters) = Make();
        for (var i = 0; i < 5; i++)
        {
            queue.Hold(slowPath, counters, 1, 42, 2, Punt(i), Policy, resolver, nowMs: 0);
        }
        var released = queue.Release(1, 42);
        Assert.Equal([2, 3, 4], released.Select(p => (int)p.Frame[0]));
        Assert.Equal(2, counters.Snapshot()["dropped.holdQueueFull"]);
        Assert.Equal(0, queue.HeldPackets);
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public void Retries_are_spaced_and_giving_up_makes_every_held_packet_unreachable()
    {
        var (queue, slowPath, resolver, counters) = Make();
        queue.Hold(slowPath, counters, 1, 42, 2, Punt(0), Policy, resolver, nowMs: 0);
        queue.Hold(slowPath, counters, 1, 42, 2, Punt(1), Policy, resolver, nowMs: 0);
        foreach (var now in new long[] { 500, 1000, 1500, 2000, 2500 })
        {
            queue.Tick(slowPath, _ => counters, now);
        }
        Assert.Equal(3, resolver.Probes.Count);
        Assert.Empty(resolver.Unreachables);
        queue.Tick(slowPath, _ => counters, 3000);
        Assert.Equal([0, 1], resolver.Unreachables.Select(p => (int)p.Frame[0]));
        Assert.Equal(2, counters.Snapshot()["dropped.unresolved"]);

        // Failed for one interval: a new packet bounces at once and probes nothing.
        queue.Hold(slowPath, counters, 1, 42, 2, Punt(2), Policy, resolver, nowMs: 3500);
        Assert.Equal(3, resolver.Probes.Count);
        Assert.Equal(3, resolver.Unreachables.Count);

        // After it, resolution starts over.
        queue.Tick(slowPath, _ => counters, 4000);
        queue.Hold(slowPath, counters, 1, 42, 2, Punt(3), Policy, resolver, nowMs: 4100);
        Assert.Equal(4, resolver.Probes.Count);
    }

    [Fact]
    public void Memory_is_bounded_over_all_next_hops()
    {
        var queue = new ArpHoldQueue(maxHeldPackets: 4, maxNextHops: 2);
        var (_, slowPath, resolver, counters) = Make();
        for (uint hop = 0; hop < 5; hop++)
        {
            for (var i = 0; i < 3; i++)
            {
                queue.Hold(slowPath, counters, 1, hop, 2, Punt(i), Policy, resolver, nowMs: 0);
            }
        }
        Assert.Equal(2, queue.Waiting);
        Assert.Equal(4, queue.HeldPackets);
        var snapshot = counters.Snapshot();
        Assert.Equal(9, snapshot["dropped.holdTableFull"]);
        Assert.Equal(2, snapshot["dropped.holdLimit"]);
    }

    [Fact]
    public void Packets_of_a_module_that_went_away_are_forgotten()
    {
        var (queue, slowPath, resolver, counters) = Make();
        queue.Hold(slowPath, counters, 7, 42, 2, Punt(0), Policy, resolver, nowMs: 0);
        queue.Tick(slowPath, _ => null, 5000);
        Assert.Equal(0, queue.HeldPackets);
        Assert.Empty(resolver.Unreachables);
    }

    private static (ArpHoldQueue, RecordingSlowPath, RecordingResolver, SlowPathCounters) Make() =>
        (new ArpHoldQueue(1000, 100), new RecordingSlowPath(), new RecordingResolver(), new SlowPathCounters());

    private static PuntRecord Punt(int tag) => new(1, 0, 16, HookKind.Tc, 60, new ulong[4], [(byte)tag]);

    private sealed class RecordingResolver : INeighbourResolver
    {
        public List<(int Port, uint NextHop)> Probes { get; } = [];

        public List<PuntRecord> Unreachables { get; } = [];

        public void Probe(ISlowPath slowPath, int module, int port, uint nextHop) => Probes.Add((port, nextHop));

        public void Unreachable(ISlowPath slowPath, PuntRecord held) => Unreachables.Add(held);
    }

    private sealed class RecordingSlowPath : ISlowPath
    {
        public void Send(int module, int port, FrameDirection direction, ReadOnlySpan<byte> frame)
        {
        }

        public void Hold(int module, uint nextHop, int outPort, PuntRecord punt, HoldPolicy policy, INeighbourResolver resolver)
        {
        }

        public void Resolved(int module, uint nextHop)
        {
        }

        public void Dropped(int module, string reason)
        {
        }
    }
}
