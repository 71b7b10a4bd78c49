namespace IoVisor.Bench;

/// <summary>Known unicast from the sender to the receiver's MAC: the Linux bridge against the
/// IoVisor bridge on both hooks.</summary>
internal sealed class BridgeCases(Topology topo, Traffic traffic, Daemon daemon, Cleanup cleanup, TestRunCost cost, string rnd)
{
    private const string HoverRxLabel = "bridge hover_rx, known unicast";

    private readonly byte[] _frame = Frames.Udp(topo.ReceiverMac, topo.SenderMac, Frames.SenderIp, Frames.BridgedReceiverIp);

    public double LinuxBridge()
    {
        string br = $"iovb{rnd}br";
        using var delete = cleanup.Scoped($"bridge {br}", () => Shell.TryRun("ip", $"link del {br}"));
        Shell.Run("ip", $"link add {br} type bridge");
        Shell.Run("ip", $"link set {topo.HostIn} master {br}");
        Shell.Run("ip", $"link set {topo.HostOut} master {br}");
        Shell.Run("ip", $"link set {br} up");
        // Unicast, like the IoVisor cases: the receiver's MAC is known on the egress port.
        Shell.Run("bridge", $"fdb replace {Topology.Format(topo.ReceiverMac)} dev {topo.HostOut} master static");
        using var napi = traffic.Napi(topo.HostInIfindex);
        return traffic.Send(_frame);
    }

    /// <summary>The real daemon: module, ports, links and a static FDB entry by REST; then
    /// ns/packet by test run of the pinned hover_rx.</summary>
    public (double Pps, CostSample[] Costs) IoVisorBridge(string hook)
    {
        using var bridge = DaemonModule.Create(daemon, cleanup, $"bench{hook}", "bridge", hook);
        int p1 = bridge.AddPort("p1");
        bridge.AddPort("p2");
        bridge.Link("p1", $"netdev:{topo.HostIn}");
        bridge.Link("p2", $"netdev:{topo.HostOut}");
        bridge.AddEntry("fdb", new { mac = Topology.Format(topo.ReceiverMac), vlan = 1, port = "p2" });
        double pps;
        // In XDP mode the bridge's own program gives HostIn NAPI.
        using (hook == "tc" ? traffic.Napi(topo.HostInIfindex) : null)
        {
            pps = traffic.Send(_frame);
        }
        // Unicast to a known MAC rewrites nothing in the frame, so repeat N on one buffer is valid;
        // the repeat-1 loop is the conservative variant.
        return (pps, [cost.Repeated(bridge, hook, p1, _frame, HoverRxLabel), cost.Looped(bridge, hook, p1, _frame, HoverRxLabel)]);
    }
}
