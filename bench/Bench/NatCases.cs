using System.Text.Json.Nodes;

namespace IoVisor.Bench;

/// <summary>
/// Source NAT on the way out, routed: UDP from the sender's subnet 10.77.0.0/24 to the receiver
/// 10.78.0.2 leaves HostOut from 10.78.0.254. Linux forwarding with an nftables masquerade rule
/// against an IoVisor router chained to a NAT with a masquerade rule (HostIn — router p1,
/// router p2 — nat in, nat out — HostOut): the NAT is a bump in the wire between a router port and
/// the outside, so the IoVisor figure includes the router hop, as Linux's includes forwarding.
/// Each is measured on one established flow and with every frame a new flow.
/// </summary>
internal sealed class NatCases(Topology topo, Traffic traffic, NewFlowTraffic newFlows, Daemon daemon, Cleanup cleanup, TestRunCost cost, string rnd, string[] hooks)
{
    private const string ReceiverAddress = "10.78.0.2";
    private const string InsideNetwork = "10.77.0.0/24";

    public const string HoverRx = "nat hover_rx, established flow";
    public const string ChainLabel = "entry + router + nat, established flow";

    public static string Linux(bool newFlow) => $"Linux forwarding + nftables masquerade, {Flows.Label(newFlow)}";

    public static string IoVisor(string hook, bool newFlow) => $"IoVisor router + NAT {hook.ToUpperInvariant()}, {Flows.Label(newFlow)}";

    public void Round(Results into)
    {
        var (established, fresh) = LinuxMasquerade();
        into.AddPps(Linux(false), established);
        into.AddPps(Linux(true), fresh);
        foreach (var hook in hooks)
        {
            IoVisorNat(hook, into);
        }
    }

    private (double Established, double NewFlows) LinuxMasquerade()
    {
        using var forwarding = new KernelForwarding(topo, cleanup, [ReceiverAddress]);
        using var table = NftTable.Create(cleanup, rnd,
            "  chain postrouting {\n" +
            "    type nat hook postrouting priority srcnat; policy accept;\n" +
            $"    oifname \"{topo.HostOut}\" masquerade\n" +
            "  }\n");
        using var napi = traffic.Napi(topo.HostInIfindex);
        var frame = Frames.Udp(topo.HostInMac, topo.SenderMac, Frames.SenderIp, Frames.RoutedReceiverIp);
        return (traffic.Send(frame), newFlows.Send(frame, FlowSpread.DestinationPort, kernelConntrack: true));
    }

    private void IoVisorNat(string hook, Results into)
    {
        using var router = DaemonModule.Create(daemon, cleanup, $"benchnr{hook}", "router", hook);
        using var nat = DaemonModule.Create(daemon, cleanup, $"benchn{hook}", "nat", hook);
        router.AddPort("p1", RouterCases.PortConfig(KernelForwarding.InAddress));
        router.AddPort("p2", RouterCases.PortConfig(KernelForwarding.OutAddress));
        int inside = nat.AddPort("in", new JsonObject { ["role"] = "inside" });
        nat.AddPort("out", new JsonObject { ["role"] = "outside", ["address"] = KernelForwarding.OutHost });
        router.Link("p1", $"netdev:{topo.HostIn}");
        router.Link("p2", $"{nat.Name}:in");
        nat.Link("out", $"netdev:{topo.HostOut}");
        router.AddEntry("arp", new { address = ReceiverAddress, mac = Topology.Format(topo.ReceiverMac), port = "p2" });
        nat.AddEntry("rules", new { type = "masquerade", logicalIp = InsideNetwork });

        var frame = Frames.Udp(RouterMac.Of(router, "p1"), topo.SenderMac, Frames.SenderIp, Frames.RoutedReceiverIp);
        // In XDP mode the router's own program gives HostIn NAPI.
        using (hook == "tc" ? traffic.Napi(topo.HostInIfindex) : null)
        {
            into.AddPps(IoVisor(hook, false), traffic.Send(frame));
            into.AddPps(IoVisor(hook, true), newFlows.Send(frame, FlowSpread.DestinationPort, kernelConntrack: false));
        }
        // The established flow's session is there from the traffic. Both rewrite the frame: repeat-1 loops.
        var routed = Frames.Udp(topo.ReceiverMac, RouterMac.Of(router, "p2"), Frames.SenderIp, Frames.RoutedReceiverIp);
        into.AddCost(cost.Looped(nat, hook, inside, routed, HoverRx));
        into.AddCost(cost.Chain(hook, topo.HostInIfindex, frame, ChainLabel));
    }
}
