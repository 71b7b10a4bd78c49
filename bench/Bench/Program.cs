using System.Runtime.InteropServices;
using System.Security.Cryptography;
using IoVisor.Bench;

// Datapath benchmark. Needs root. --quick: fewer frames, one round (smoke run).
bool quick = args.Contains("--quick");
int rounds = quick ? 1 : 3;
uint frames = quick ? 1_000_000u : 5_000_000u;
uint warmup = quick ? 100_000u : 500_000u;
int testRunCalls = quick ? 10_000 : 100_000;
uint slowPathFrames = quick ? 50_000u : 200_000u;
// Each a conntrack entry, in the host's own table for the Linux cases: well below its 262,144.
uint newFlowFrames = quick ? 100_000u : 150_000u;
uint newFlowWarmup = 10_000u;
int latencyRepetitions = quick ? 3 : 10;
string[] hooks = ["xdp", "tc"];
string rnd = Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();
var cleanup = new Cleanup();
// Ctrl+C and SIGTERM (timeout, kill) clean up too; the exit code is the shell's 128 + signal.
int interruptedExit = 0;
void Interrupted(PosixSignalContext context)
{
    context.Cancel = true;
    Volatile.Write(ref interruptedExit, context.Signal == PosixSignal.SIGTERM ? 143 : 130);
    Console.Error.WriteLine($"{context.Signal}: cleaning up");
    cleanup.RunAll();
    Environment.Exit(interruptedExit);
}
using var onSigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupted);
using var onSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupted);

using var onlyInstance = SingleInstance.Acquire();
try
{
    var topo = new Topology(rnd, cleanup);
    var traffic = new Traffic(topo, cleanup, frames, warmup);
    var daemon = new Daemon(rnd, cleanup);
    var cost = new TestRunCost(daemon, testRunCalls);
    var ceiling = new CeilingCase(topo, traffic, cleanup);
    var bridges = new BridgeCases(topo, traffic, daemon, cleanup, cost, rnd);
    var routers = new RouterCases(topo, traffic, daemon, cleanup, cost);
    var flood = new SlowPathFloodCase(topo, traffic, daemon, cleanup, slowPathFrames);
    var newFlows = new NewFlowTraffic(traffic, newFlowFrames, newFlowWarmup);
    var nat = new NatCases(topo, traffic, newFlows, daemon, cleanup, cost, rnd, hooks);
    var balancers = new L4lbCases(topo, traffic, newFlows, daemon, cleanup, cost, rnd, hooks);
    var firewalls = new FirewallCases(topo, traffic, daemon, cleanup, cost, rnd, hooks);
    var gtp = new GtpCost(topo, daemon, cleanup, cost, hooks);
    var tracing = new TraceCost(topo, traffic, daemon, cleanup, cost, hooks);
    var results = new Results();
    var modules = new Results();

    // Cases alternate within each round, so drift on the shared cores hits all of them alike.
    for (int r = 0; r < rounds; r++)
    {
        foreach (var hook in hooks)
        {
            results.AddCost(cost.Empty(hook));
        }
        results.AddPps(CaseNames.Ceiling, ceiling.Measure());
        results.AddPps(CaseNames.LinuxBridge, bridges.LinuxBridge());
        foreach (var hook in hooks)
        {
            var (pps, costs) = bridges.IoVisorBridge(hook);
            results.AddPps(CaseNames.IoVisorBridge(hook), pps);
            Array.ForEach(costs, results.AddCost);
        }
        results.AddPps(CaseNames.LinuxForwarding, routers.LinuxForwarding());
        foreach (var hook in hooks)
        {
            var (pps, costs) = routers.IoVisorRouter(hook);
            results.AddPps(CaseNames.IoVisorRouter(hook), pps);
            Array.ForEach(costs, results.AddCost);
        }
        foreach (var hook in hooks)
        {
            results.AddSlowPath(hook, flood.Measure(hook));
        }
        nat.Round(modules);
        balancers.Round(modules);
        firewalls.Round(modules);
        gtp.Round(modules);
        tracing.Round(modules);
        Console.Error.WriteLine($"round {r + 1}/{rounds}: " +
            string.Join(", ", results.Pps.Select(p => $"{p.Key} {p.Value[r] / 1e6:F3} Mpps")) + ", " +
            string.Join(", ", results.SlowPath.Select(s => $"slow path {s.Key} {s.Value[r].Pps / 1e3:F1} kpps")) + ", " +
            string.Join(", ", modules.Pps.Select(p => $"{p.Key} {p.Value[r] / 1e6:F3} Mpps")));
    }

    // Round trips of a few pings each: repetitions rather than rounds.
    var latency = new HeldPacketLatency(daemon, cleanup, rnd, latencyRepetitions);
    foreach (var hook in hooks)
    {
        results.Latency[hook] = latency.Measure(hook);
    }

    Report.Print(results, $"## IoVisor datapath bench ({Environment.ProcessorCount} CPUs, kernel {Environment.OSVersion.Version}, " +
        $"64-byte UDP, {frames:N0} frames/run, median of {rounds} round(s){(quick ? ", --quick" : "")})");
    ModuleReport.Print(modules, hooks, newFlowFrames, Stats.Median(results.Pps[CaseNames.Ceiling]));
    return 0;
}
catch (Exception e)
{
    if (Volatile.Read(ref interruptedExit) is > 0 and var code)
    {
        // The cleanup took the case's modules and devices away under it.
        return code;
    }
    Console.Error.WriteLine($"bench failed: {e}");
    return 1;
}
finally
{
    cleanup.RunAll();
}
