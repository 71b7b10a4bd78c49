using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.IoModules;
using IoVisor.IoModules.Abi;
using IoVisor.IoModules.Gtp;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// The GTP matcher of both hooks loaded the way the daemon loads a module: entry.&lt;hook&gt;.o first,
/// then gtp.&lt;hook&gt;.o sharing the hover_* maps through pins, its own maps in modules/gtp, its
/// hover_rx at module index 4, and bound to the matcher's control plane
/// (<see cref="GtpModuleType.Bind"/>) so that config, ports and rules reach the maps exactly as the
/// daemon writes them. Each hook has its own pin root under one temporary bpffs directory, removed
/// in Dispose (and on failure).
/// </summary>
public sealed class GtpDatapathFixture : IDisposable
{
    public GtpDatapathFixture()
    {
        DatapathFixture.RequireRoot();
        Root = $"{BpfFs.DefaultMountPoint}/iovisor-gtp-{Guid.NewGuid():N}";
        BpfFs.EnsureMounted(Root);
        try
        {
            Tc = new GtpHook("tc", Path.Combine(Root, "tc"));
            Xdp = new GtpHook("xdp", Path.Combine(Root, "xdp"));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Root { get; }

    public GtpHook Tc { get; } = null!;

    public GtpHook Xdp { get; } = null!;

    public GtpHook this[string hook] => hook == "xdp" ? Xdp : Tc;

    public void Dispose()
    {
        Tc?.Dispose();
        Xdp?.Dispose();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary>One hook's GTP matcher with ports p0..p3, each linked to a fake netdev; its tables, its
/// slow-path handler fed from the punt ring, and typed views of the maps the tests read.</summary>
public sealed class GtpHook : IDisposable
{
    public const uint Module = 4;
    public const int PortCount = 4;
    private const uint Sentinel = 0xDEADBEEF;

    private readonly BpfObject _entry;
    private readonly BpfObject _gtp;
    private readonly RingBufferReader _puntReader;
    private readonly List<PuntRecord> _punts = [];

    public GtpHook(string hook, string root)
    {
        IsXdp = hook == "xdp";
        BpfFs.EnsureMounted(root);
        var moduleDir = Path.Combine(root, "modules", "gtp");
        BpfFs.EnsureMounted(moduleDir);
        _entry = Open($"entry.{hook}.o", root, null);
        _gtp = Open($"gtp.{hook}.o", root, moduleDir);
        Rx = _gtp.Program("hover_rx");
        ProgArray.Set(_entry.Map(IsXdp ? "hover_progs_xdp" : "hover_progs_tc"), Module, Rx.Fd);
        Md = new BpfMap<uint, HoverMd>(_entry.Map("hover_md"));
        Stats = new BpfMap<uint, HoverPortStats>(_entry.Map("hover_stats"));
        Ports = new BpfMap<uint, HoverPort>(_entry.Map("hover_ports"));
        RuleStats = new BpfMap<uint, GtpCount>(_gtp.Map("gtp_rule_stats"));
        Counters = new BpfMap<uint, GtpCount>(_gtp.Map("gtp_counters"));
        if (IsXdp)
        {
            TxXdp = new BpfMap<uint, DevmapValue>(_entry.Map("hover_tx_xdp"));
        }
        _puntReader = new RingBufferReader(_entry.Map("hover_punt"), record => _punts.Add(PuntRecord.Parse(record)));
        Gtp = new GtpModuleType().Bind(new ModuleObject("gtp", (int)Module, IsXdp ? HookKind.Xdp : HookKind.Tc, _gtp, new NumberedPorts()));
    }

    public bool IsXdp { get; }

    public BpfProgram Rx { get; }

    public IModuleDatapath Gtp { get; }

    public IModuleTable Rules => Gtp.Table("rules");

    public BpfMap<uint, HoverMd> Md { get; }

    public BpfMap<uint, HoverPortStats> Stats { get; }

    public BpfMap<uint, HoverPort> Ports { get; }

    public BpfMap<uint, GtpCount> RuleStats { get; }

    public BpfMap<uint, GtpCount> Counters { get; }

    public BpfMap<uint, DevmapValue>? TxXdp { get; }

    public uint Drop => IsXdp ? 1u : 2u;          // XDP_DROP / TC_ACT_SHOT

    public uint Pass => IsXdp ? 2u : 0u;          // XDP_PASS / TC_ACT_OK

    public uint Redirect => IsXdp ? 4u : 7u;      // XDP_REDIRECT / TC_ACT_REDIRECT

    /// <summary>A matcher with no rules, zero counters, an empty punt log and ring; ports p0..p3 with
    /// the configs given (none: plain), the module config as given.</summary>
    public void Reset(JsonObject? config = null, params JsonObject?[] portConfigs)
    {
        Rules.Flush();
        Gtp.Table("status").Flush();
        Gtp.Table("punted").Flush();
        TakePunts();
        var type = new GtpModuleType();
        var zero = new HoverPortStats[BpfMap.PossibleCpus];
        for (var port = 0; port < PortCount; port++)
        {
            Gtp.ApplyPort(port, type.NormalizePortConfig(port < portConfigs.Length ? portConfigs[port] : null));
            var ifindex = 100 * Module + (uint)port;
            Ports.Update(ChainAbi.GlobalPort((int)Module, port), new HoverPort { PeerKind = 1, Ifindex = ifindex });
            Stats.UpdatePerCpu(ChainAbi.GlobalPort((int)Module, port), zero);
            // Test runs never transmit; the devmap only has to name a real device.
            TxXdp?.Update(ifindex, new DevmapValue { Ifindex = 1, ProgFd = 0 });
        }
        Gtp.ApplyConfig(type.NormalizeConfig(config));
    }

    public JsonObject AddRule(string json) => Rules.Put(null, JsonNode.Parse(json)!.AsObject());

    /// <summary>Runs the matcher's hover_rx as if the framework had entered it on <paramref name="port"/>.</summary>
    public RunOutcome Run(int port, byte[] frame)
    {
        var initial = SetMd(port);
        var result = ProgramTestRun.Run(Rx.Fd, new TestRunOptions { DataIn = frame, Repeat = 1 });
        var changed = Md.LookupPerCpu(0).Where(md => md.OutPort != initial.OutPort || md.Reason != initial.Reason).ToArray();
        Assert.True(changed.Length <= 1, $"{changed.Length} CPUs' hover_md changed during one test run");
        return new RunOutcome(result.ReturnValue, result.DataOut, changed.Length == 1 ? changed[0] : initial);
    }

    /// <summary>The kernel's mean run time per packet over <paramref name="runs"/> test runs of
    /// <paramref name="repeat"/> repetitions each, and the last verdict. The frame must come out of a
    /// pass as it went in (a forward without MAC rewrite leaves it untouched).</summary>
    public (uint Verdict, double NsPerPacket) Time(int port, byte[] frame, uint repeat, int runs)
    {
        SetMd(port);
        double total = 0;
        uint verdict = 0;
        for (var i = 0; i < runs; i++)
        {
            var result = ProgramTestRun.Run(Rx.Fd, new TestRunOptions { DataIn = frame, Repeat = repeat });
            total += result.DurationNs;
            verdict = result.ReturnValue;
        }
        return (verdict, total / runs);
    }

    /// <summary>Every punt record written since the last call, each also handed to the matcher's
    /// slow-path handler as the daemon's dispatcher would.</summary>
    public IReadOnlyList<PuntRecord> TakePunts()
    {
        _puntReader.Consume();
        var taken = _punts.ToArray();
        _punts.Clear();
        foreach (var punt in taken)
        {
            Gtp.SlowPath!.Handle(punt, new NoSlowPath());
        }
        return taken;
    }

    /// <summary>gtp_counters[slot], summed over CPUs.</summary>
    public GtpCount Counter(uint slot) => Sum(Counters.LookupPerCpu(slot));

    public HoverPortStats StatsOf(int port)
    {
        var sum = default(HoverPortStats);
        foreach (var s in Stats.LookupPerCpu(ChainAbi.GlobalPort((int)Module, port)))
        {
            sum.RxPackets += s.RxPackets;
            sum.TxPackets += s.TxPackets;
            sum.TxBytes += s.TxBytes;
            sum.Drops += s.Drops;
        }
        return sum;
    }

    private static GtpCount Sum(IEnumerable<GtpCount> perCpu) =>
        perCpu.Aggregate(default(GtpCount), (s, c) => new GtpCount { Packets = s.Packets + c.Packets, Bytes = s.Bytes + c.Bytes });

    private HoverMd SetMd(int port)
    {
        var initial = new HoverMd { Module = Module, InPort = (uint)port, OutPort = Sentinel, Reason = Sentinel };
        var all = new HoverMd[BpfMap.PossibleCpus];
        Array.Fill(all, initial);
        Md.UpdatePerCpu(0, all);
        return initial;
    }

    private static BpfObject Open(string file, string root, string? moduleDir)
    {
        var obj = BpfObject.Open(DatapathFixture.ObjectPath(file), new BpfObjectOpenOptions { PinRoot = root });
        try
        {
            foreach (var map in obj.Maps)
            {
                if (map.Name.StartsWith("hover_", StringComparison.Ordinal))
                {
                    map.SetPinPath(Path.Combine(root, map.Name));
                }
                else if (moduleDir is not null && !map.Name.StartsWith('.'))
                {
                    map.SetPinPath(Path.Combine(moduleDir, map.Name));
                }
            }
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _puntReader?.Dispose();
        _gtp?.Dispose();
        _entry?.Dispose();
    }

    /// <summary>Ports p0..p3 at indexes 0..3.</summary>
    private sealed class NumberedPorts : IModulePorts
    {
        public string? NameOf(int index) => index is >= 0 and < PortCount ? $"p{index}" : null;

        public int? IndexOf(string name) =>
            name.Length == 2 && name[0] == 'p' && name[1] - '0' is >= 0 and < PortCount and var i ? i : null;
    }

    /// <summary>The matcher's handler only records; it never asks the slow path for anything.</summary>
    private sealed class NoSlowPath : ISlowPath
    {
        public void Send(int module, int port, FrameDirection direction, ReadOnlySpan<byte> frame) =>
            throw new InvalidOperationException("the GTP handler sent a frame");

        public void Hold(int module, uint nextHop, int outPort, PuntRecord punt, HoldPolicy policy, INeighbourResolver resolver) =>
            throw new InvalidOperationException("the GTP handler held a packet");

        public void Resolved(int module, uint nextHop) =>
            throw new InvalidOperationException("the GTP handler resolved a next hop");

        public void Dropped(int module, string reason) =>
            throw new InvalidOperationException("the GTP handler dropped a packet");
    }
}
