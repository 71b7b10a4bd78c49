using System.Text.Json.Nodes;

namespace IoVisor.Bench;

/// <summary>
/// IPv4 forwarding from the sender (10.77.0.1) to the receiver (10.78.0.2), each frame addressed
/// to the device under test's MAC on HostIn: Linux forwarding against the IoVisor router on both
/// hooks. Both know the receiver's MAC in advance (a permanent neighbour, a static ARP entry).
/// </summary>
internal sealed class RouterCases(Topology topo, Traffic traffic, Daemon daemon, Cleanup cleanup, TestRunCost cost)
{
    private const string ReceiverAddress = "10.78.0.2";
    private const string HoverRxLabel = "router hover_rx, forwarded";
    private const string ChainLabel = "entry + router hover_rx, forwarded";

    /// <summary>Linux set up by <see cref="KernelForwarding"/>: forwarding on HostIn and HostOut
    /// only, and a permanent neighbour for the receiver.</summary>
    public double LinuxForwarding()
    {
        using var forwarding = new KernelForwarding(topo, cleanup, [ReceiverAddress]);
        using var napi = traffic.Napi(topo.HostInIfindex);
        return traffic.Send(Frames.Udp(topo.HostInMac, topo.SenderMac, Frames.SenderIp, Frames.RoutedReceiverIp));
    }

    /// <summary>The real daemon: router, ports, links and a static ARP entry by REST; then
    /// ns/packet by test run of the pinned hover_rx.</summary>
    public (double Pps, CostSample[] Costs) IoVisorRouter(string hook)
    {
        using var router = DaemonModule.Create(daemon, cleanup, $"benchr{hook}", "router", hook);
        // The addresses Linux has in its case.
        int p1 = router.AddPort("p1", PortConfig(KernelForwarding.InAddress));
        router.AddPort("p2", PortConfig(KernelForwarding.OutAddress));
        router.Link("p1", $"netdev:{topo.HostIn}");
        router.Link("p2", $"netdev:{topo.HostOut}");
        router.AddEntry("arp", new { address = ReceiverAddress, mac = Topology.Format(topo.ReceiverMac), port = "p2" });
        var frame = Frames.Udp(RouterMac.Of(router, "p1"), topo.SenderMac, Frames.SenderIp, Frames.RoutedReceiverIp);
        double pps;
        // In XDP mode the router's own program gives HostIn NAPI.
        using (hook == "tc" ? traffic.Napi(topo.HostInIfindex) : null)
        {
            pps = traffic.Send(frame);
        }
        // The router rewrites TTL, MACs and checksum: repeat N would route its own output again.
        return (pps, [cost.Looped(router, hook, p1, frame, HoverRxLabel), cost.Chain(hook, topo.HostInIfindex, frame, ChainLabel)]);
    }

    public static JsonObject PortConfig(string address) => new() { ["addresses"] = new JsonArray(address) };
}
