using System.Globalization;
using System.Text.RegularExpressions;

namespace IoVisor.Bench;

/// <summary>One repetition: the RTT of a ping that found every neighbour cache empty, and the
/// median RTT of the pings that followed it.</summary>
internal sealed record HoldLatency(double FirstMs, double FollowingMs);

/// <summary>
/// Two hosts in their own namespaces (10.79.1.2 and 10.79.2.2, default routes via the router's
/// .1) on either side of an IoVisor router. With the router's ARP table and both neighbour caches
/// flushed, the first echo request is held by the slow path while the router resolves the
/// receiver, then released: its RTT carries hold + ARP resolution + release. The hosts' own ARP
/// for their gateway is answered by the router in the kernel.
/// </summary>
internal sealed partial class HeldPacketLatency
{
    private const int FollowingPings = 20;
    private readonly Daemon _daemon;
    private readonly Cleanup _cleanup;
    private readonly int _repetitions;
    private readonly (string Ns, string HostVeth, string Address, string Gateway)[] _hosts;

    public HeldPacketLatency(Daemon daemon, Cleanup cleanup, string rnd, int repetitions)
    {
        _daemon = daemon;
        _cleanup = cleanup;
        _repetitions = repetitions;
        _hosts =
        [
            ($"iovb-{rnd}-left", $"iovb{rnd}l", "10.79.1.2", "10.79.1.1"),
            ($"iovb-{rnd}-right", $"iovb{rnd}r", "10.79.2.2", "10.79.2.1"),
        ];
        foreach (var (ns, hostVeth, address, gateway) in _hosts)
        {
            Shell.Run("ip", $"netns add {ns}");
            cleanup.Add($"netns {ns}", () => Shell.TryRun("ip", $"netns del {ns}"));
            // Deleted by name too: a namespace, and its end of the pair, goes only once nothing runs in it.
            cleanup.Add($"veth {hostVeth}", () => Shell.TryRun("ip", $"link del {hostVeth}"));
            Shell.Run("ip", $"link add {hostVeth} type veth peer name eth0 netns {ns}");
            // No IPv6: no stray frames into the router.
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{hostVeth}/disable_ipv6", "1");
            Shell.Run("ip", $"link set {hostVeth} up");
            Shell.Run("ip", $"netns exec {ns} sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1");
            Shell.Run("ip", $"-n {ns} addr add {address}/24 dev eth0");
            Shell.Run("ip", $"-n {ns} link set eth0 up");
            Shell.Run("ip", $"-n {ns} link set lo up");
            Shell.Run("ip", $"-n {ns} route add default via {gateway}");
            // NAPI for the frames the XDP router and the injection device redirect into the pair.
            Shell.Run("ip", $"netns exec {ns} ethtool -K eth0 gro on");
        }
    }

    /// <summary>The repetitions, and the router's slow-path counters "held" and "released" after them.</summary>
    public (List<HoldLatency> Runs, long Held, long Released) Measure(string hook)
    {
        var (left, right) = (_hosts[0], _hosts[1]);
        using var router = DaemonModule.Create(_daemon, _cleanup, $"benchh{hook}", "router", hook);
        router.AddPort("p1", RouterCases.PortConfig($"{left.Gateway}/24"));
        router.AddPort("p2", RouterCases.PortConfig($"{right.Gateway}/24"));
        router.Link("p1", $"netdev:{left.HostVeth}");
        router.Link("p2", $"netdev:{right.HostVeth}");
        var runs = new List<HoldLatency>();
        for (int i = 0; i < _repetitions; i++)
        {
            router.FlushTable("arp");
            foreach (var host in _hosts)
            {
                Shell.Run("ip", $"-n {host.Ns} neigh flush all");
            }
            string output = Shell.Run("ip", $"netns exec {left.Ns} ping -n -c {FollowingPings + 1} -i 0.05 -W 2 {right.Address}");
            var rtts = EchoReply().Matches(output).ToDictionary(
                m => int.Parse(m.Groups["seq"].Value, CultureInfo.InvariantCulture),
                m => double.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture));
            if (!rtts.TryGetValue(1, out double first) || rtts.Count < FollowingPings + 1)
            {
                throw new InvalidOperationException($"{hook}: echo requests lost through the router:\n{output}");
            }
            runs.Add(new HoldLatency(first, Stats.Median(rtts.Where(r => r.Key != 1).Select(r => r.Value))));
        }
        var slowPath = router.Get("stats")["slowPath"]!;
        return (runs, (long?)slowPath["held"] ?? 0, (long?)slowPath["released"] ?? 0);
    }

    [GeneratedRegex(@"icmp_seq=(?<seq>\d+) ttl=\d+ time=(?<ms>[0-9.]+) ms")]
    private static partial Regex EchoReply();
}
