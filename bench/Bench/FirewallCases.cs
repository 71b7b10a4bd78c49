using System.Text.Json.Nodes;

namespace IoVisor.Bench;

/// <summary>
/// Filtering on the way to the receiver with 10, 1,000 and 10,000 rules (<see cref="FirewallRuleSet"/>):
/// Linux forwarding with the rules in an nftables filter chain against an IoVisor router chained
/// to a firewall (HostIn — router p1, router p2 — fw outside, fw inside — HostOut). Both figures
/// include the routing. The rules allow, they never commit a connection, so every packet is new
/// to the firewall and classified; ns/packet of the firewall's own program by test run.
/// </summary>
internal sealed class FirewallCases(Topology topo, Traffic traffic, Daemon daemon, Cleanup cleanup, TestRunCost cost, string rnd, string[] hooks)
{
    private const string ReceiverAddress = "10.78.0.2";

    public static readonly int[] RuleCounts = [10, 1_000, 10_000];

    /// <summary>How long each rate is measured for (<see cref="Traffic.SendFor"/>).</summary>
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(3);

    public static string Linux(int rules) => $"Linux forwarding + nftables, {rules:N0} rules";

    public static string IoVisor(string hook, int rules) => $"IoVisor router + firewall {hook.ToUpperInvariant()}, {rules:N0} rules";

    public static string HoverRx(int rules) => $"firewall hover_rx, {rules:N0} rules, new UDP packet";

    public void Round(Results into)
    {
        LinuxFilter(into);
        foreach (var hook in hooks)
        {
            IoVisorFirewall(hook, into);
        }
    }

    /// <summary>The rules sit in a chain of their own that the forward hook jumps to only for
    /// HostIn → HostOut, so the host's other forwarded traffic never meets them; what none of
    /// them accepts is dropped, as the firewall's default action does.</summary>
    private void LinuxFilter(Results into)
    {
        using var forwarding = new KernelForwarding(topo, cleanup, [ReceiverAddress]);
        using var napi = traffic.Napi(topo.HostInIfindex);
        var frame = Frames.Udp(topo.HostInMac, topo.SenderMac, Frames.SenderIp, Frames.RoutedReceiverIp);
        foreach (int count in RuleCounts)
        {
            using var table = NftTable.Create(cleanup, rnd,
                "  chain forward {\n" +
                "    type filter hook forward priority filter; policy accept;\n" +
                $"    iifname \"{topo.HostIn}\" oifname \"{topo.HostOut}\" jump rules\n" +
                "  }\n" +
                "  chain rules {\n" +
                new FirewallRuleSet(count).ToNft() +
                "    drop\n" +
                "  }\n");
            into.AddPps(Linux(count), traffic.SendFor(frame, Measured));
        }
    }

    private void IoVisorFirewall(string hook, Results into)
    {
        using var router = DaemonModule.Create(daemon, cleanup, $"benchfr{hook}", "router", hook);
        using var fw = DaemonModule.Create(daemon, cleanup, $"benchfw{hook}", "firewall", hook, new JsonObject { ["defaultAction"] = "drop" });
        router.AddPort("p1", RouterCases.PortConfig(KernelForwarding.InAddress));
        router.AddPort("p2", RouterCases.PortConfig(KernelForwarding.OutAddress));
        int outside = fw.AddPort("outside", new JsonObject { ["role"] = "outside" });
        fw.AddPort("inside", new JsonObject { ["role"] = "inside" });
        router.Link("p1", $"netdev:{topo.HostIn}");
        router.Link("p2", $"{fw.Name}:outside");
        fw.Link("inside", $"netdev:{topo.HostOut}");
        router.AddEntry("arp", new { address = ReceiverAddress, mac = Topology.Format(topo.ReceiverMac), port = "p2" });

        var frame = Frames.Udp(RouterMac.Of(router, "p1"), topo.SenderMac, Frames.SenderIp, Frames.RoutedReceiverIp);
        var routed = Frames.Udp(topo.ReceiverMac, RouterMac.Of(router, "p2"), Frames.SenderIp, Frames.RoutedReceiverIp);
        foreach (int count in RuleCounts)
        {
            fw.ReplaceEntries("rules", new FirewallRuleSet(count).ToJson());
            // In XDP mode the router's own program gives HostIn NAPI.
            using (hook == "tc" ? traffic.Napi(topo.HostInIfindex) : null)
            {
                into.AddPps(IoVisor(hook, count), traffic.SendFor(frame, Measured));
            }
            // The firewall leaves the frame as it is and commits nothing: repeat N on one buffer is valid.
            into.AddCost(BestOf.Cost(() => cost.Repeated(fw, hook, outside, routed, HoverRx(count))));
        }
    }
}
