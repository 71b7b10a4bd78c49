using System.Globalization;

namespace IoVisor.Bench;

/// <summary>Prints the NAT, load balancer, firewall, GTP and tracing results as Markdown tables:
/// medians over the rounds, and the issue's targets met or not.</summary>
internal static class ModuleReport
{
    /// <summary>NAT and load balancer: XDP at least this many times nftables.</summary>
    private const double StatefulTarget = 3.0;

    /// <summary>Firewall at the most rules: at least this many times nftables, at most this many times its cost at the fewest.</summary>
    private const double FirewallTarget = 10.0, FirewallGrowthLimit = 2.0;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="ceiling">The bare XDP redirect's delivered rate in the same run: the most any XDP device reaches on these veths.</param>
    public static void Print(Results results, string[] hooks, uint newFlowsPerRun, double ceiling)
    {
        Console.WriteLine();
        Console.WriteLine(Format($"NAT: UDP from 10.77.0.0/24 masqueraded behind 10.78.0.254 on the way to the receiver. IoVisor is a router chained to a NAT, so its figures include the router hop, as Linux's include forwarding. A new flow per frame: {newFlowsPerRun:N0} flows per run, each translated on its first packet (a conntrack insert)."));
        Console.WriteLine();
        PrintVersus(results, hooks, ceiling, NatCases.Linux, NatCases.IoVisor, "NAT", "nftables masquerade");
        Console.WriteLine(Format($"L4 load balancer: a UDP VIP over {L4lbCases.Backends} backends that the receiver plays. IoVisor is the balancer in front of a router, Linux forwards with an nftables DNAT rule (jhash over a map of the backends); both route. New flows as for the NAT."));
        Console.WriteLine();
        PrintVersus(results, hooks, ceiling, L4lbCases.Linux, L4lbCases.IoVisor, "L4 load balancer", "nftables DNAT");
        PrintFirewall(results, hooks);
        PrintCosts(results, [NatCases.HoverRx, NatCases.ChainLabel, L4lbCases.HoverRx, L4lbCases.ChainLabel, GtpCost.HoverRx],
            "ns/packet by test run: the NAT and the load balancer on the established flow of the rate cases, the GTP matcher on a G-PDU a rule forwards:");
        PrintTracing(results, hooks);
    }

    /// <summary>Linux and IoVisor on one established flow, then on new flows; the XDP target on both.</summary>
    private static void PrintVersus(Results results, string[] hooks, double ceiling, Func<bool, string> linux, Func<string, bool, string> ioVisor, string what, string versus)
    {
        Console.WriteLine($"| case | delivered Mpps | vs {versus} | % of ceiling |");
        Console.WriteLine("|---|---:|---:|---:|");
        var verdicts = new List<string>();
        var bounds = new List<string>();
        foreach (bool newFlow in new[] { false, true })
        {
            double baseline = Median(results.Pps[linux(newFlow)]);
            Console.WriteLine(Format($"| {linux(newFlow)} | {baseline / 1e6:F3} | 1.00x | {100 * baseline / ceiling:F1}% |"));
            foreach (var hook in hooks)
            {
                double m = Median(results.Pps[ioVisor(hook, newFlow)]);
                Console.WriteLine(Format($"| {ioVisor(hook, newFlow)} | {m / 1e6:F3} | {m / baseline:F2}x | {100 * m / ceiling:F1}% |"));
            }
            verdicts.Add(AtLeast(Flows.Label(newFlow), Median(results.Pps[ioVisor("xdp", newFlow)]) / baseline, StatefulTarget));
            bounds.Add(Format($"{ceiling / baseline:F2}x ({Flows.Label(newFlow)})"));
        }
        Console.WriteLine();
        Console.WriteLine(Format($"{what} target (XDP at least {StatefulTarget:F1}x {versus}): {string.Join("; ", verdicts)}. The ceiling (bare XDP redirect, {ceiling / 1e6:F3} Mpps) is {string.Join(", ", bounds)} {versus} in this run."));
        Console.WriteLine();
    }

    private static void PrintFirewall(Results results, string[] hooks)
    {
        Console.WriteLine(Format($"Firewall: the same rules in IoVisor and in an nftables chain, every one evaluated for the benchmark flow (the allowing rule comes last, lowest priority); {FirewallRuleSet.Shapes} match shapes, so {FirewallRuleSet.Shapes} tuples for the firewall's classifier at any count. IoVisor is a router chained to the firewall, Linux forwards: both route. ns/packet: the firewall's hover_rx on a packet of no connection (the rules allow, they commit nothing), one test run with repeat N, the lowest of {BestOf.Passes}."));
        Console.WriteLine();
        Console.WriteLine("| rules | nftables Mpps | " + string.Join(" | ", hooks.Select(h => $"IoVisor {h.ToUpperInvariant()} Mpps | vs nftables")) +
            " | " + string.Join(" | ", hooks.Select(h => $"hover_rx {h.ToUpperInvariant()} ns/packet | vs {FirewallCases.RuleCounts[0]:N0} rules")) + " |");
        Console.WriteLine("|---:|---:|" + string.Concat(Enumerable.Repeat("---:|---:|", 2 * hooks.Length)));
        foreach (int rules in FirewallCases.RuleCounts)
        {
            double linux = Median(results.Pps[FirewallCases.Linux(rules)]);
            var rates = hooks.Select(h => Median(results.Pps[FirewallCases.IoVisor(h, rules)])).Select(m => Format($"{m / 1e6:F3} | {m / linux:F2}x"));
            var costs = hooks.Select(h => FirewallNs(results, h, rules)).Zip(hooks.Select(h => FirewallNs(results, h, FirewallCases.RuleCounts[0])))
                .Select(c => Format($"{c.First:F1} | {c.First / c.Second:F2}x"));
            Console.WriteLine(Format($"| {rules:N0} | {linux / 1e6:F3} | {string.Join(" | ", rates)} | {string.Join(" | ", costs)} |"));
        }
        Console.WriteLine();
        int most = FirewallCases.RuleCounts[^1], fewest = FirewallCases.RuleCounts[0];
        var verdicts = hooks.SelectMany(h => new[]
        {
            AtLeast($"{h.ToUpperInvariant()} vs nftables", Median(results.Pps[FirewallCases.IoVisor(h, most)]) / Median(results.Pps[FirewallCases.Linux(most)]), FirewallTarget),
            AtMost($"{h.ToUpperInvariant()} ns/packet vs {fewest:N0} rules", FirewallNs(results, h, most) / FirewallNs(results, h, fewest), FirewallGrowthLimit),
        });
        Console.WriteLine(Format($"Firewall targets at {most:N0} rules (at least {FirewallTarget:F0}x nftables; ns/packet within {FirewallGrowthLimit:F0}x of {fewest:N0} rules): {string.Join("; ", verdicts)}."));
        Console.WriteLine();
    }

    private static void PrintCosts(Results results, string[] programs, string title)
    {
        Console.WriteLine(title);
        Console.WriteLine();
        Console.WriteLine("| program | hook | method | ns/packet | verdict |");
        Console.WriteLine("|---|---|---|---:|---|");
        foreach (var (key, samples) in results.Costs.Where(c => programs.Contains(c.Key.Program)))
        {
            string verdict = string.Join(", ", samples.Select(s => Report.VerdictName(s.Hook, s.Verdict)).Distinct());
            Console.WriteLine(Format($"| {key.Program} | {key.Hook.ToUpperInvariant()} | {key.Method} | {Median(samples.Select(s => s.Ns)):F1} | {verdict} |"));
        }
        Console.WriteLine();
    }

    private static void PrintTracing(Results results, string[] hooks)
    {
        Console.WriteLine(Format($"Packet tracing, bridge case: no trace, a trace whose filter the traffic does not match, one it matches (a GET /trace client streams the events meanwhile). ns/packet: entry program + bridge, one test run with repeat N, the lowest of {TraceCost.Passes} passes over the states in turn."));
        Console.WriteLine();
        Console.WriteLine("| hook | state | delivered Mpps | vs off | ns/packet | vs off |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var hook in hooks)
        {
            double offPps = Median(results.Pps[TraceCost.Case(hook, TraceCost.States[0].Name)]);
            double offNs = TracingNs(results, hook, TraceCost.States[0].Name);
            foreach (var (state, _) in TraceCost.States)
            {
                double pps = Median(results.Pps[TraceCost.Case(hook, state)]), ns = TracingNs(results, hook, state);
                Console.WriteLine(Format($"| {hook.ToUpperInvariant()} | {state} | {pps / 1e6:F3} | {pps / offPps:F2}x | {ns:F1} | {ns - offNs:+0.0;-0.0;0.0} ns |"));
            }
        }
        Console.WriteLine();
        Console.WriteLine("Hop events per second that the trace client received during the matching runs: " +
            string.Join(", ", hooks.Select(h => Format($"{h.ToUpperInvariant()} {Median(results.Pps[TraceCost.Streamed(h)]):N0}"))) + ".");
    }

    private static double FirewallNs(Results results, string hook, int rules) => CostNs(results, FirewallCases.HoverRx(rules), hook);

    private static double TracingNs(Results results, string hook, string state) => CostNs(results, TraceCost.Program(state), hook);

    private static double CostNs(Results results, string program, string hook) =>
        Median(results.Costs.Single(c => c.Key.Program == program && c.Key.Hook == hook).Value.Select(s => s.Ns));

    private static string AtLeast(string what, double ratio, double target) =>
        Format($"{what}: {(ratio >= target ? "met" : "not met")} ({ratio:F2}x)");

    private static string AtMost(string what, double ratio, double limit) =>
        Format($"{what}: {(ratio <= limit ? "met" : "not met")} ({ratio:F2}x)");

    private static double Median(IEnumerable<double> values) => Stats.Median(values);

    private static string Format(FormattableString s) => s.ToString(Inv);
}
