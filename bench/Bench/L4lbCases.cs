using System.Text.Json.Nodes;

namespace IoVisor.Bench;

/// <summary>
/// A UDP service 10.78.0.100:5001 spread over backends 10.78.0.11–18, routed to
/// them: Linux forwarding with an nftables DNAT rule (jhash of source address and port over a
/// map of the backends) against the IoVisor load balancer in front of a router (HostIn — lb
/// front, lb back — router p1, router p2 — HostOut), as README's DNAT mode places it. The
/// receiver plays every backend: each backend address has a permanent neighbour (Linux) or a
/// static ARP entry (router) with the receiver's MAC, and its sink counts whatever arrives. Both
/// figures include the routing. One established flow, and every frame a new flow.
/// </summary>
internal sealed class L4lbCases(Topology topo, Traffic traffic, NewFlowTraffic newFlows, Daemon daemon, Cleanup cleanup, TestRunCost cost, string rnd, string[] hooks)
{
    public const int Backends = 8;
    /// <summary>On HostOut's subnet but no host's: a frame that missed the DNAT would wait for
    /// an ARP answer and be dropped, never leave by the host's default route.</summary>
    private const string Vip = "10.78.0.100";
    private const int ServicePort = 5001; // the destination port of Frames.Udp
    private static readonly byte[] VipBytes = [10, 78, 0, 100];
    private static readonly string[] BackendAddresses = Enumerable.Range(11, Backends).Select(i => $"10.78.0.{i}").ToArray();

    public const string HoverRx = "l4lb hover_rx, established flow";
    public const string ChainLabel = "entry + l4lb + router, established flow";

    public static string Linux(bool newFlow) => $"Linux forwarding + nftables DNAT, {Flows.Label(newFlow)}";

    public static string IoVisor(string hook, bool newFlow) => $"IoVisor l4lb + router {hook.ToUpperInvariant()}, {Flows.Label(newFlow)}";

    public void Round(Results into)
    {
        var (established, fresh) = LinuxDnat();
        into.AddPps(Linux(false), established);
        into.AddPps(Linux(true), fresh);
        foreach (var hook in hooks)
        {
            IoVisorBalancer(hook, into);
        }
    }

    private (double Established, double NewFlows) LinuxDnat()
    {
        using var forwarding = new KernelForwarding(topo, cleanup, BackendAddresses);
        string map = string.Join(", ", BackendAddresses.Select((a, i) => $"{i} : {a}"));
        using var table = NftTable.Create(cleanup, rnd,
            "  chain prerouting {\n" +
            "    type nat hook prerouting priority dstnat; policy accept;\n" +
            $"    iifname \"{topo.HostIn}\" ip daddr {Vip} udp dport {ServicePort} dnat to jhash ip saddr . udp sport mod {Backends} map {{ {map} }}\n" +
            "  }\n");
        using var napi = traffic.Napi(topo.HostInIfindex);
        var frame = Frames.Udp(topo.HostInMac, topo.SenderMac, Frames.SenderIp, VipBytes);
        return (traffic.Send(frame), newFlows.Send(frame, FlowSpread.SourceHost, kernelConntrack: true));
    }

    private void IoVisorBalancer(string hook, Results into)
    {
        using var lb = DaemonModule.Create(daemon, cleanup, $"benchlb{hook}", "l4lb", hook);
        using var router = DaemonModule.Create(daemon, cleanup, $"benchlr{hook}", "router", hook);
        int front = lb.AddPort("front", new JsonObject { ["role"] = "front" });
        lb.AddPort("back", new JsonObject { ["role"] = "back" });
        router.AddPort("p1", RouterCases.PortConfig(KernelForwarding.InAddress));
        router.AddPort("p2", RouterCases.PortConfig(KernelForwarding.OutAddress));
        lb.Link("front", $"netdev:{topo.HostIn}");
        lb.Link("back", $"{router.Name}:p1");
        router.Link("p2", $"netdev:{topo.HostOut}");
        lb.AddEntry("services", new { vip = Vip, port = ServicePort, protocol = "udp", mode = "dnat" });
        foreach (var backend in BackendAddresses)
        {
            router.AddEntry("arp", new { address = backend, mac = Topology.Format(topo.ReceiverMac), port = "p2" });
            lb.AddEntry("backends", new { service = $"udp {Vip}:{ServicePort}", address = backend });
        }

        // Clients send to the VIP through their gateway's MAC; the balancer leaves MACs alone.
        var frame = Frames.Udp(RouterMac.Of(router, "p1"), topo.SenderMac, Frames.SenderIp, VipBytes);
        // In XDP mode the balancer's own program gives HostIn NAPI.
        using (hook == "tc" ? traffic.Napi(topo.HostInIfindex) : null)
        {
            into.AddPps(IoVisor(hook, false), traffic.Send(frame));
            into.AddPps(IoVisor(hook, true), newFlows.Send(frame, FlowSpread.SourceHost, kernelConntrack: false));
        }
        // The established flow's session is there from the traffic. Both rewrite the frame: repeat-1 loops.
        into.AddCost(cost.Looped(lb, hook, front, frame, HoverRx));
        into.AddCost(cost.Chain(hook, topo.HostInIfindex, frame, ChainLabel));
    }
}
