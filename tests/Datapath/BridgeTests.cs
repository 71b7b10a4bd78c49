using IoVisor.IoModules.Bridge;
using static IoVisor.Datapath.Tests.FrameBuilder;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// The bridge module (modules/bpf/bridge.c) under BPF_PROG_TEST_RUN. Frames are fed to the
/// bridge's hover_rx directly with hover_md set as the framework would set it on entering module 1
/// at the ingress port; hover_md, hover_stats and bridge_fdb tell what happened afterwards.
/// Test runs never transmit: a redirect is only the verdict (and for XDP the devmap lookup).
/// </summary>
public sealed class BridgeTests(DatapathFixture fixture) : IClassFixture<DatapathFixture>
{
    private static readonly byte[] A = Mac(0xa), B = Mac(0xb), C = Mac(0xc);

    private HookDatapath Setup(string hook, ulong agingNs = 0)
    {
        var dp = fixture[hook];
        dp.Reset(agingNs);
        return dp;
    }

    [Theory, BothHooks]
    public void Learning_SourceMacIsLearnedOnIngressPort(string hook)
    {
        var dp = Setup(hook);
        dp.Access(0, 1);
        dp.Access(1, 1);

        dp.RunBridge(0, Udp(B, A));

        Assert.True(dp.TryFdb(A, 1, out var entry), "no bridge_fdb entry for {A, vlan 1}");
        Assert.Equal(0u, entry.Port);
        Assert.Equal(0u, entry.Flags & BridgeAbi.FdbStatic);
        Assert.NotEqual(0ul, entry.SeenNs);
        Assert.False(dp.TryFdb(A, 2, out _), "learned in a VLAN the port is not in");
        Assert.False(dp.TryFdb(B, 1, out _), "destination MAC learned");
    }

    [Theory, BothHooks]
    public void Forwarding_KnownUnicastIsRedirectedToItsPort(string hook)
    {
        var dp = Setup(hook);
        dp.Access(0, 1);
        dp.Access(1, 1);
        dp.RunBridge(1, Udp(Broadcast, B)); // learn B on port 1

        byte[] frame = Udp(B, A);
        var run = dp.RunBridge(0, frame);

        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal(1u, run.Md.OutPort);
        Assert.False(run.Flooded);
        Assert.Equal(frame, run.DataOut);
        var tx = dp.StatsOf(1);
        Assert.Equal(1ul, tx.TxPackets);
        Assert.Equal((ulong)frame.Length, tx.TxBytes);
        Assert.Equal(0ul, dp.StatsOf(0).Drops);
    }

    [Theory]
    [InlineData("tc", true)]
    [InlineData("tc", false)]
    [InlineData("xdp", true)]
    [InlineData("xdp", false)]
    public void Flooding_BroadcastAndUnknownUnicast(string hook, bool broadcast)
    {
        var dp = Setup(hook);
        dp.Access(0, 1);
        dp.Access(1, 1);
        dp.Access(2, 1);

        byte[] frame = Udp(broadcast ? Broadcast : C, A);
        var run = dp.RunBridge(0, frame);

        Assert.True(run.Flooded, "HOVER_MDF_FLOODED not set");
        Assert.Equal(RunOutcome.NoPort, run.Md.OutPort);
        if (dp.IsXdp)
        {
            // One broadcast redirect through bridge_flood; the copies leave tagged with the
            // frame's VLAN and each port's devmap egress program (bridge_egress) untags them.
            Assert.Equal(dp.Redirect, run.Verdict);
            Assert.Equal((ushort?)1, VlanOf(run.DataOut));
            Assert.Equal(frame, Untag(run.DataOut));
        }
        else
        {
            // bpf_clone_redirect per port (to fake ifindexes here, so the clones fail and are not
            // counted), then the original is consumed: TC_ACT_SHOT, no drop counted.
            Assert.Equal(dp.Drop, run.Verdict);
            Assert.Equal(0ul, dp.StatsOf(0).Drops);
        }
    }

    [Theory, BothHooks]
    public void Hairpin_FrameToMacLearnedOnIngressPortIsDropped(string hook)
    {
        var dp = Setup(hook);
        dp.Access(0, 1);
        dp.Access(1, 1);
        dp.RunBridge(0, Udp(Broadcast, A)); // A on port 0

        var run = dp.RunBridge(0, Udp(A, C));

        Assert.Equal(dp.Drop, run.Verdict);
        Assert.False(run.Flooded);
        Assert.Equal(1ul, dp.StatsOf(0).Drops);
        Assert.Equal(0ul, dp.StatsOf(1).TxPackets);
    }

    [Theory, BothHooks]
    public void Filter_TaggedFrameOnAccessPortIsDropped(string hook)
    {
        var dp = Setup(hook);
        dp.Access(0, 10);
        dp.Access(1, 10);

        var run = dp.RunBridge(0, Udp(Broadcast, A, vid: 10));

        Assert.Equal(dp.Drop, run.Verdict);
        Assert.False(run.Flooded);
        Assert.Equal(1ul, dp.StatsOf(0).Drops);
        Assert.False(dp.TryFdb(A, 10, out _), "learned from a refused frame");
    }

    [Theory, BothHooks]
    public void Filter_VlanNotAllowedOnTrunkIsDropped(string hook)
    {
        var dp = Setup(hook);
        dp.Trunk(0, native: 0, 10, 30);
        dp.Access(1, 20);

        var run = dp.RunBridge(0, Udp(Broadcast, A, vid: 20));

        Assert.Equal(dp.Drop, run.Verdict);
        Assert.False(run.Flooded);
        Assert.Equal(1ul, dp.StatsOf(0).Drops);
        Assert.False(dp.TryFdb(A, 20, out _), "learned from a refused frame");

        // Control: an allowed VLAN on the same trunk is accepted (flooded).
        Assert.True(dp.RunBridge(0, Udp(Broadcast, A, vid: 10)).Flooded);
    }

    [Theory, BothHooks]
    public void Vlan_AccessToTrunkPushesTag(string hook)
    {
        var dp = Setup(hook);
        dp.Access(0, 10);
        dp.Trunk(1, native: 0, 10);
        dp.RunBridge(1, Udp(Broadcast, B, vid: 10)); // B on port 1, vlan 10
        Assert.True(dp.TryFdb(B, 10, out var learned) && learned.Port == 1, "B not learned on the trunk in vlan 10");

        byte[] frame = Udp(B, A);
        var run = dp.RunBridge(0, frame);

        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal(1u, run.Md.OutPort);
        // TC pushes the tag into the data as well (bpf_skb_change_head + memmove, not the
        // accelerated tag), so the test run's output shows it in both hooks.
        Assert.Equal(frame.Length + 4, run.DataOut.Length);
        Assert.Equal((ushort?)10, VlanOf(run.DataOut));
        Assert.Equal(frame, Untag(run.DataOut));
        Assert.Equal((ulong)frame.Length + 4, dp.StatsOf(1).TxBytes);
    }

    [Theory, BothHooks]
    public void Vlan_TrunkToAccessPopsTag(string hook)
    {
        var dp = Setup(hook);
        dp.Access(0, 10);
        dp.Trunk(1, native: 0, 10);
        dp.RunBridge(0, Udp(Broadcast, A)); // A on port 0, vlan 10

        byte[] tagged = Udp(A, B, vid: 10);
        var run = dp.RunBridge(1, tagged);

        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal(0u, run.Md.OutPort);
        Assert.Null(VlanOf(run.DataOut));
        Assert.Equal(Untag(tagged), run.DataOut);
    }

    [Theory, BothHooks]
    public void Vlan_TrunkNativeVlanLeavesUntagged(string hook)
    {
        var dp = Setup(hook);
        dp.Trunk(0, native: 5, 10);
        dp.Trunk(1, native: 5, 10);
        dp.RunBridge(1, Udp(Broadcast, B)); // untagged on a trunk: native vlan 5
        Assert.True(dp.TryFdb(B, 5, out _), "untagged frame on a trunk not in its native vlan");

        byte[] frame = Udp(B, A, vid: 5); // tagged with the native VID on ingress
        var run = dp.RunBridge(0, frame);

        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal(Untag(frame), run.DataOut);
    }

    [Theory, BothHooks]
    public void StaticEntry_IsNotMovedByLearning(string hook)
    {
        var dp = Setup(hook);
        dp.Access(0, 1);
        dp.Access(1, 1);
        dp.Fdb.Update(HookDatapath.Key(A, 1), new BridgeFdbEntry { Port = 1, Flags = BridgeAbi.FdbStatic, SeenNs = 0 });

        dp.RunBridge(0, Udp(Broadcast, A)); // A shows up on port 0

        Assert.True(dp.TryFdb(A, 1, out var entry));
        Assert.Equal(1u, entry.Port);
        Assert.Equal(BridgeAbi.FdbStatic, entry.Flags);
        Assert.Equal(0ul, entry.SeenNs);

        // Static entries never age either (SeenNs = 0 with aging on).
        dp.Config.Update(0, new BridgeConfig { AgingNs = 1_000_000 });
        var run = dp.RunBridge(0, Udp(A, B));
        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal(1u, run.Md.OutPort);
    }

    [Theory, BothHooks]
    public void LearnedEntry_IsMovedWhenTheMacMoves(string hook)
    {
        var dp = Setup(hook);
        dp.Access(0, 1);
        dp.Access(1, 1);
        dp.RunBridge(1, Udp(Broadcast, A));
        dp.RunBridge(0, Udp(Broadcast, A));

        Assert.True(dp.TryFdb(A, 1, out var entry));
        Assert.Equal(0u, entry.Port);
    }

    [Theory, BothHooks]
    public void Aging_EntryOlderThanAgingIsTreatedAsUnknown(string hook)
    {
        var dp = Setup(hook, agingNs: 1_000_000_000);
        dp.Access(0, 1);
        dp.Access(1, 1);
        dp.Access(2, 1);
        // bpf_ktime_get_ns is CLOCK_MONOTONIC, as is Stopwatch on Linux.
        ulong now = (ulong)System.Diagnostics.Stopwatch.GetTimestamp();
        Assert.Equal(1_000_000_000L, System.Diagnostics.Stopwatch.Frequency);
        Assert.True(now > 10_000_000_000ul, "monotonic clock too young for an entry 10 s old");

        dp.Fdb.Update(HookDatapath.Key(B, 1), new BridgeFdbEntry { Port = 1, SeenNs = now - 10_000_000_000ul });
        var stale = dp.RunBridge(0, Udp(B, A));
        Assert.True(stale.Flooded, "an aged entry was used for forwarding");
        Assert.Equal(RunOutcome.NoPort, stale.Md.OutPort);

        // Control: the same entry seen just now forwards.
        dp.Fdb.Update(HookDatapath.Key(B, 1), new BridgeFdbEntry { Port = 1, SeenNs = (ulong)System.Diagnostics.Stopwatch.GetTimestamp() });
        var fresh = dp.RunBridge(0, Udp(B, A));
        Assert.Equal(dp.Redirect, fresh.Verdict);
        Assert.Equal(1u, fresh.Md.OutPort);
        Assert.False(fresh.Flooded);
    }

    [Theory, BothHooks]
    public void Entry_TailCallsIntoTheBridge(string hook)
    {
        // hover_entry with the test run's own device (loopback, ifindex 1) linked to bridge port 0.
        var dp = Setup(hook);
        dp.Access(0, 1);
        dp.Access(1, 1);
        dp.Netdevs.Link(1, HookDatapath.BridgeModule, 0);
        dp.RunBridge(1, Udp(Broadcast, B));

        byte[] frame = Udp(B, A);
        var run = dp.RunEntry(frame);

        Assert.Equal(dp.Redirect, run.Verdict);
        Assert.Equal(HookDatapath.BridgeModule, run.Md.Module);
        Assert.Equal(0u, run.Md.InPort);
        Assert.Equal(1u, run.Md.OutPort);
        Assert.Equal(1u, run.Md.Ifindex);
        Assert.Equal(1u, run.Md.Hops);
        Assert.Equal(1ul, dp.StatsOf(0).RxPackets);
        Assert.Equal(1ul, dp.StatsOf(1).TxPackets);
        Assert.True(dp.TryFdb(A, 1, out var a) && a.Port == 0);
    }

    [Theory, BothHooks]
    public void Entry_UnlinkedNetdevPassesToTheStack(string hook)
    {
        var dp = Setup(hook);
        var run = dp.RunEntry(Udp(B, A));
        Assert.Equal(dp.Pass, run.Verdict);
    }

    [Theory, BothHooks]
    public void Entry_NetdevUnlinkedAfterALinkPassesToTheStack(string hook)
    {
        // An unlinked netdev's slot in hover_netdev_ix stays, zeroed: module 0 means not linked.
        var dp = Setup(hook);
        dp.Access(0, 1);
        dp.Netdevs.Link(1, HookDatapath.BridgeModule, 0);
        dp.Netdevs.Unlink(1);

        var run = dp.RunEntry(Udp(B, A));

        Assert.Equal(dp.Pass, run.Verdict);
        Assert.Equal(0ul, dp.StatsOf(0).RxPackets);
    }
}
