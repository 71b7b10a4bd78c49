using System.Globalization;

namespace IoVisor.Bench;

/// <summary>Prints the results as Markdown tables: medians over the rounds.</summary>
internal static class Report
{
    /// <summary>The issue's targets for the router, as multiples of Linux IPv4 forwarding.</summary>
    private static readonly (string Hook, double Factor)[] RouterTargets = [("xdp", 3.0), ("tc", 1.5)];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Print(Results results, string header)
    {
        Console.WriteLine(header);
        Console.WriteLine();
        double ceiling = Median(results.Pps[CaseNames.Ceiling]);
        PrintRates(results, "vs Linux bridge", CaseNames.LinuxBridge, ceiling,
            [CaseNames.Ceiling, CaseNames.LinuxBridge, CaseNames.IoVisorBridge("xdp"), CaseNames.IoVisorBridge("tc")]);
        PrintRates(results, "vs Linux forwarding", CaseNames.LinuxForwarding, ceiling,
            [CaseNames.LinuxForwarding, CaseNames.IoVisorRouter("xdp"), CaseNames.IoVisorRouter("tc")]);
        PrintRouterTargets(results);
        PrintCosts(results);
        PrintSlowPath(results);
        PrintLatency(results);
    }

    private static void PrintRates(Results results, string versus, string baselineCase, double ceiling, string[] cases)
    {
        double baseline = Median(results.Pps[baselineCase]);
        Console.WriteLine($"| case | delivered Mpps | {versus} | % of ceiling |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var c in cases)
        {
            double m = Median(results.Pps[c]);
            Console.WriteLine(Format($"| {c} | {m / 1e6:F3} | {m / baseline:F2}x | {100 * m / ceiling:F1}% |"));
        }
        Console.WriteLine();
    }

    private static void PrintRouterTargets(Results results)
    {
        double linux = Median(results.Pps[CaseNames.LinuxForwarding]);
        var verdicts = RouterTargets.Select(t =>
        {
            double ratio = Median(results.Pps[CaseNames.IoVisorRouter(t.Hook)]) / linux;
            return Format($"{t.Hook.ToUpperInvariant()} at least {t.Factor:F1}x: {(ratio >= t.Factor ? "met" : "not met")} ({ratio:F2}x)");
        });
        // What a device that does nothing but redirect reaches bounds what any XDP program can show here.
        double ceiling = Median(results.Pps[CaseNames.Ceiling]) / linux;
        Console.WriteLine(Format($"Router targets (vs Linux IPv4 forwarding): {string.Join("; ", verdicts)}. The ceiling itself is {ceiling:F2}x Linux forwarding in this run."));
        Console.WriteLine();
    }

    private static void PrintCosts(Results results)
    {
        Console.WriteLine("| program | hook | method | ns/packet | verdict |");
        Console.WriteLine("|---|---|---|---:|---|");
        foreach (var (key, samples) in results.Costs)
        {
            string verdict = string.Join(", ", samples.Select(s => VerdictName(s.Hook, s.Verdict)).Distinct());
            Console.WriteLine(Format($"| {key.Program} | {key.Hook.ToUpperInvariant()} | {key.Method} | {Median(samples.Select(s => s.Ns)):F1} | {verdict} |"));
        }
        Console.WriteLine();
    }

    private static void PrintSlowPath(Results results)
    {
        Console.WriteLine("Slow path, broadcast frames that bridge b1 floods to bridge b2 through punt and re-inject " +
            "(delivered: median of the rounds; frame counts: sums over the rounds):");
        Console.WriteLine();
        Console.WriteLine("| hook | delivered kpps | sent | punted | injected | delivered |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (hook, runs) in results.SlowPath)
        {
            double kpps = Median(runs.Select(r => r.Pps)) / 1e3;
            Console.WriteLine(Format($"| {hook.ToUpperInvariant()} | {kpps:F1} | {runs.Sum(r => r.Sent):N0} | {runs.Sum(r => r.Punted):N0} | {runs.Sum(r => r.Injected):N0} | {runs.Sum(r => r.Delivered):N0} |"));
        }
        Console.WriteLine();
    }

    private static void PrintLatency(Results results)
    {
        Console.WriteLine("Held first packet: ping through the router with its ARP table and both hosts' neighbour caches flushed " +
            "(p50 over the repetitions; following = median RTT of the 20 pings after the first):");
        Console.WriteLine();
        Console.WriteLine("| hook | first RTT ms | following RTT ms | hold + resolve + release ms | repetitions | held / released |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (hook, (runs, held, released)) in results.Latency)
        {
            double first = Median(runs.Select(r => r.FirstMs)), following = Median(runs.Select(r => r.FollowingMs));
            double slowPath = Median(runs.Select(r => r.FirstMs - r.FollowingMs));
            Console.WriteLine(Format($"| {hook.ToUpperInvariant()} | {first:F3} | {following:F3} | {slowPath:F3} | {runs.Count} | {held} / {released} |"));
        }
    }

    internal static string VerdictName(string hook, uint verdict) => (hook, verdict) switch
    {
        ("xdp", 2) => "XDP_PASS",
        ("xdp", 4) => "XDP_REDIRECT",
        ("tc", 0) => "TC_ACT_OK",
        ("tc", 7) => "TC_ACT_REDIRECT",
        _ => verdict.ToString(Inv),
    };

    private static double Median(IEnumerable<double> values) => Stats.Median(values);

    private static string Format(FormattableString s) => s.ToString(Inv);
}
