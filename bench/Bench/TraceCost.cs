using System.Diagnostics;

namespace IoVisor.Bench;

/// <summary>
/// What packet tracing costs the bridge case (known unicast, HostIn — bridge — HostOut): with no
/// trace running, with a trace whose filter the traffic does not match, and with one it does
/// (every frame traced at both hops), a GET /trace client streaming the events meanwhile.
/// Delivered rate, and ns/packet of the entry program and the bridge by one test run, since the
/// entry is where a packet is matched against the filter.
/// </summary>
internal sealed class TraceCost(Topology topo, Traffic traffic, Daemon daemon, Cleanup cleanup, TestRunCost cost, string[] hooks)
{
    /// <summary>Passes over the states for ns/packet: more than <see cref="BestOf.Passes"/>, since
    /// the differences to show are a few ns and a busy VM slows every run for a while.</summary>
    public const int Passes = 15;

    /// <summary>The states, by name, with the trace filter (null: no trace).</summary>
    public static readonly (string Name, string? Filter)[] States =
    [
        ("tracing off", null),
        ("tracing on, filter not matching", "ip.dst == 10.99.0.1"),
        ("tracing on, filter matching", "ip.dst == 10.77.0.2 && udp.dport == 5001"),
    ];

    public static string Case(string hook, string state) => $"IoVisor bridge {hook.ToUpperInvariant()}, {state}";

    public static string Program(string state) => $"entry + bridge, {state}";

    /// <summary>Hop events per second that the client received while the matching trace ran.</summary>
    public static string Streamed(string hook) => $"trace hop events streamed {hook}";

    private readonly byte[] _frame = Frames.Udp(topo.ReceiverMac, topo.SenderMac, Frames.SenderIp, Frames.BridgedReceiverIp);

    public void Round(Results into)
    {
        foreach (var hook in hooks)
        {
            using var bridge = DaemonModule.Create(daemon, cleanup, $"bencht{hook}", "bridge", hook);
            bridge.AddPort("p1");
            bridge.AddPort("p2");
            bridge.Link("p1", $"netdev:{topo.HostIn}");
            bridge.Link("p2", $"netdev:{topo.HostOut}");
            bridge.AddEntry("fdb", new { mac = Topology.Format(topo.ReceiverMac), vlan = 1, port = "p2" });
            // In XDP mode the bridge's own program gives HostIn NAPI.
            using (hook == "tc" ? traffic.Napi(topo.HostInIfindex) : null)
            {
                foreach (var (state, filter) in States)
                {
                    into.AddPps(Case(hook, state), Delivered(hook, state, filter, into));
                }
            }
            foreach (var sample in NsPerPacket(hook))
            {
                into.AddCost(sample);
            }
        }
    }

    private double Delivered(string hook, string state, string? filter, Results into)
    {
        using var trace = filter is null ? null : TraceStream.Open(daemon, filter);
        var running = Stopwatch.StartNew();
        double pps = traffic.Send(_frame);
        long hops = trace?.Stop() ?? 0;
        bool matching = filter == States[^1].Filter;
        if (matching != (hops > 0))
        {
            throw new InvalidOperationException($"{hook}, {state}: {hops} hop events streamed");
        }
        if (matching)
        {
            into.AddPps(Streamed(hook), hops / running.Elapsed.TotalSeconds);
        }
        return pps;
    }

    /// <summary>The states in turn, <see cref="Passes"/> times, the lowest of each (as
    /// <see cref="BestOf"/> does): drift on the shared cores hits all states alike. Known unicast
    /// rewrites nothing: one call with repeat N.</summary>
    private IEnumerable<CostSample> NsPerPacket(string hook)
    {
        var best = new CostSample?[States.Length];
        for (int pass = 0; pass < Passes; pass++)
        {
            for (int i = 0; i < States.Length; i++)
            {
                var (state, filter) = States[i];
                using var trace = filter is null ? null : TraceStream.Open(daemon, filter);
                var sample = cost.ChainRepeated(hook, topo.HostInIfindex, _frame, Program(state));
                if (best[i] is null || sample.Ns < best[i]!.Ns)
                {
                    best[i] = sample;
                }
            }
        }
        return best.Select(s => s!);
    }
}
