using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using IoVisor.Bench;
using IoVisor.Bpf;

// Datapath benchmark. Needs root. --quick: fewer frames, one round (smoke run).
bool quick = args.Contains("--quick");
int rounds = quick ? 1 : 3;
uint frames = quick ? 1_000_000u : 5_000_000u;
uint warmup = quick ? 100_000u : 500_000u;
int testRunCalls = quick ? 10_000 : 100_000;
string rnd = Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();
var cleanup = new Cleanup();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Console.Error.WriteLine("interrupted: cleaning up");
    cleanup.RunAll();
    Environment.Exit(130);
};

try
{
    var bench = new Bench(rnd, cleanup, frames, warmup, testRunCalls);
    string[] cases = ["ceiling (XDP redirect)", "Linux bridge", "IoVisor bridge XDP", "IoVisor bridge TC"];
    var pps = cases.ToDictionary(c => c, _ => new List<double>());
    var nsPerPacket = new Dictionary<string, List<double>>();
    var verdicts = new Dictionary<string, uint>();

    for (int r = 0; r < rounds; r++)
    {
        pps[cases[0]].Add(bench.Ceiling());
        pps[cases[1]].Add(bench.LinuxBridge());
        foreach (var (hook, name) in new[] { ("xdp", cases[2]), ("tc", cases[3]) })
        {
            var (rate, costs, verdict) = bench.IoVisorBridge(hook);
            pps[name].Add(rate);
            foreach (var (method, ns) in costs)
            {
                string key = $"{hook}|{method}";
                if (!nsPerPacket.TryGetValue(key, out var list))
                {
                    nsPerPacket[key] = list = [];
                }
                list.Add(ns);
            }
            verdicts[hook] = verdict;
        }
        Console.Error.WriteLine($"round {r + 1}/{rounds}: " + string.Join(", ", cases.Select(c => $"{c} {pps[c][r] / 1e6:F3} Mpps")));
    }

    var inv = CultureInfo.InvariantCulture;
    double ceiling = Median(pps[cases[0]]), linux = Median(pps[cases[1]]);
    Console.WriteLine($"## IoVisor datapath bench ({Environment.ProcessorCount} CPUs, kernel {Environment.OSVersion.Version}, " +
        $"64-byte UDP, {frames:N0} frames/run, median of {rounds} round(s){(quick ? ", --quick" : "")})");
    Console.WriteLine();
    Console.WriteLine("| case | delivered Mpps | vs Linux bridge | % of ceiling |");
    Console.WriteLine("|---|---:|---:|---:|");
    foreach (var c in cases)
    {
        double m = Median(pps[c]);
        Console.WriteLine(string.Create(inv, $"| {c} | {m / 1e6:F3} | {m / linux:F2}x | {100 * m / ceiling:F1}% |"));
    }
    Console.WriteLine();
    Console.WriteLine("| program | hook | method | ns/packet | verdict |");
    Console.WriteLine("|---|---|---|---:|---|");
    foreach (var (key, list) in nsPerPacket)
    {
        var parts = key.Split('|');
        string verdict = parts[0] == "xdp" ? (verdicts["xdp"] == 4 ? "XDP_REDIRECT" : $"{verdicts["xdp"]}") : (verdicts["tc"] == 7 ? "TC_ACT_REDIRECT" : $"{verdicts["tc"]}");
        Console.WriteLine(string.Create(inv, $"| bridge hover_rx, known unicast | {parts[0].ToUpperInvariant()} | {parts[1]} | {Median(list):F1} | {verdict} |"));
    }
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"bench failed: {e}");
    return 1;
}
finally
{
    cleanup.RunAll();
}

static double Median(List<double> values)
{
    var s = values.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
}

namespace IoVisor.Bench
{
    /// <summary>The cases: each sets the device under test up, sends, counts, and tears it down.</summary>
    internal sealed class Bench
    {
        private readonly string _rnd;
        private readonly Cleanup _cleanup;
        private readonly uint _frames;
        private readonly uint _warmup;
        private readonly int _testRunCalls;
        private readonly Topology _topo;
        private readonly Daemon _daemon;
        private readonly byte[] _frame;
        private readonly BpfObject _gen;
        private readonly BpfObject _sink;
        private readonly BpfObject _ceiling;
        private readonly BpfMap<uint, ulong> _sinkCount;

        public Bench(string rnd, Cleanup cleanup, uint frames, uint warmup, int testRunCalls)
        {
            _rnd = rnd;
            _cleanup = cleanup;
            _frames = frames;
            _warmup = warmup;
            _testRunCalls = testRunCalls;
            _topo = new Topology(rnd, cleanup);
            _frame = _topo.Frame();
            string dir = Path.Combine(AppContext.BaseDirectory, "bpf");

            _gen = Load(Path.Combine(dir, "gen.o"));
            _gen.Map("gen_template").Update(BitConverter.GetBytes(0u), _frame);
            // The devmap resolves the ifindex in the caller's namespace: fill it from the sender's.
            NetNs.Run(_topo.SenderNs, () => _gen.Map("gen_tx").Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)_topo.SenderIfindex)));

            _sink = Load(Path.Combine(dir, "sink.o"));
            _sinkCount = new BpfMap<uint, ulong>(_sink.Map("sink_count"));
            NetNs.Run(_topo.ReceiverNs, () => XdpAttachment.Attach(_topo.ReceiverIfindex, _sink.Program("sink_xdp").Fd, XdpMode.Native));

            _ceiling = Load(Path.Combine(dir, "ceiling.o"));
            _ceiling.Map("ceiling_tx").Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)_topo.HostOutIfindex));

            _daemon = new Daemon(rnd, cleanup);
        }

        public double Ceiling()
        {
            XdpAttachment.Attach(_topo.HostInIfindex, _ceiling.Program("ceiling_xdp").Fd, XdpMode.Native);
            try
            {
                return Send();
            }
            finally
            {
                XdpAttachment.Detach(_topo.HostInIfindex, XdpMode.Native);
            }
        }

        public double LinuxBridge()
        {
            string br = $"iovb{_rnd}br";
            _cleanup.Add($"bridge {br}", () => Shell.TryRun("ip", $"link del {br}"));
            Shell.Run("ip", $"link add {br} type bridge");
            try
            {
                Shell.Run("ip", $"link set {_topo.HostIn} master {br}");
                Shell.Run("ip", $"link set {_topo.HostOut} master {br}");
                Shell.Run("ip", $"link set {br} up");
                // Unicast, like the IoVisor cases: the receiver's MAC is known on the egress port.
                Shell.Run("bridge", $"fdb replace {Topology.Format(_topo.ReceiverMac)} dev {_topo.HostOut} master static");
                // NAPI on the ingress veth, or it drops the sender's XDP-redirected frames.
                XdpAttachment.Attach(_topo.HostInIfindex, _sink.Program("pass_xdp").Fd, XdpMode.Native);
                return Send();
            }
            finally
            {
                XdpAttachment.Detach(_topo.HostInIfindex, XdpMode.Native);
                Shell.TryRun("ip", $"link del {br}");
            }
        }

        /// <summary>The real daemon: module, ports, links and a static FDB entry by REST; then ns/packet by test run of the pinned hover_rx.</summary>
        public (double Pps, List<(string Method, double Ns)> Costs, uint Verdict) IoVisorBridge(string hook)
        {
            string name = $"bench{hook}";
            _cleanup.Add($"module {name}", () => _daemon.Delete($"/modules/{name}"));
            var links = new List<string>();
            try
            {
                int module = (int)_daemon.Post("/modules", new { name, type = "bridge", hook })["index"]!;
                int p1 = (int)_daemon.Post($"/modules/{name}/ports", new { name = "p1" })["index"]!;
                _daemon.Post($"/modules/{name}/ports", new { name = "p2" });
                links.Add((string)_daemon.Post("/links", new { from = $"{name}:p1", to = $"netdev:{_topo.HostIn}" })["id"]!);
                links.Add((string)_daemon.Post("/links", new { from = $"{name}:p2", to = $"netdev:{_topo.HostOut}" })["id"]!);
                _daemon.Post($"/modules/{name}/tables/fdb/entries", new { mac = Topology.Format(_topo.ReceiverMac), vlan = 1, port = "p2" });
                if (hook == "tc")
                {
                    // NAPI on the ingress veth, or it drops the sender's XDP-redirected frames.
                    XdpAttachment.Attach(_topo.HostInIfindex, _sink.Program("pass_xdp").Fd, XdpMode.Native);
                }
                double pps = Send();
                var (costs, verdict) = TestRun(hook, module, p1);
                return (pps, costs, verdict);
            }
            finally
            {
                if (hook == "tc")
                {
                    XdpAttachment.Detach(_topo.HostInIfindex, XdpMode.Native);
                }
                foreach (var id in links)
                {
                    _daemon.Delete($"/links/{Uri.EscapeDataString(id)}");
                }
                _daemon.Delete($"/modules/{name}");
            }
        }

        private (List<(string, double)> Costs, uint Verdict) TestRun(string hook, int module, int inPort)
        {
            using var rx = BpfProgram.OpenPinned(Path.Combine(_daemon.BpffsDir, "modules", $"bench{hook}", "hover_rx"));
            using var md = BpfMap.OpenPinned(Path.Combine(_daemon.BpffsDir, "hover_md"));
            // hover_md is what the entry program leaves for the module: module index and ingress port, on every CPU.
            var value = new byte[md.ValueBufferSize];
            for (int cpu = 0; cpu < BpfMap.PossibleCpus; cpu++)
            {
                BitConverter.GetBytes((uint)module).CopyTo(value, cpu * md.PerCpuSlotSize);
                BitConverter.GetBytes((uint)inPort).CopyTo(value, (cpu * md.PerCpuSlotSize) + 4);
            }
            md.Update(BitConverter.GetBytes(0u), value);

            // Unicast to a known MAC rewrites nothing in the frame, so one call with repeat N is valid;
            // the repeat-1 loop is the conservative variant (includes per-call timer granularity).
            var repeated = ProgramTestRun.Run(rx.Fd, new TestRunOptions { DataIn = _frame, Repeat = (uint)_testRunCalls });
            long total = 0;
            for (int i = 0; i < _testRunCalls; i++)
            {
                total += ProgramTestRun.Run(rx.Fd, new TestRunOptions { DataIn = _frame, Repeat = 1 }).DurationNs;
            }
            return ([($"repeat {_testRunCalls:N0}, 1 call", repeated.DurationNs), ($"repeat 1, {_testRunCalls:N0} calls", (double)total / _testRunCalls)], repeated.ReturnValue);
        }

        /// <summary>Runs the generator in the sender namespace; delivered = counted at the receiver / generator wall time.</summary>
        private double Send()
        {
            Generate(_warmup);
            Thread.Sleep(100);
            ulong before = Count();
            double seconds = Generate(_frames);
            Thread.Sleep(100);
            ulong delivered = Count() - before;
            return delivered / seconds;
        }

        private double Generate(uint frames) => NetNs.Run(_topo.SenderNs, () =>
        {
            var opts = new TestRunOptions { DataIn = _frame, Repeat = frames, Flags = TestRunOptions.XdpLiveFrames, BatchSize = 64 };
            var sw = Stopwatch.StartNew();
            ProgramTestRun.Run(_gen.Program("gen_xdp").Fd, opts);
            return sw.Elapsed.TotalSeconds;
        });

        private ulong Count() => _sinkCount.LookupPerCpu(0).Aggregate(0ul, (a, b) => a + b);

        private static BpfObject Load(string path)
        {
            var obj = BpfObject.Open(path);
            obj.Load();
            return obj;
        }
    }
}
