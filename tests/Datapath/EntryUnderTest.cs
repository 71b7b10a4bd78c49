using IoVisor.Bpf;
using IoVisor.IoModules;
using IoVisor.IoModules.Abi;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// One hook's framework loaded the way the daemon loads it (PatchPanel, DatapathPins): entry.&lt;hook&gt;.o
/// with the shared hover_* maps pinned under <paramref name="root"/>, for the modules loaded after it
/// (<see cref="ModuleUnderTest"/>) to reuse through the pins. Runs programs with BPF_PROG_TEST_RUN as if
/// the framework had entered them.
/// </summary>
public sealed class EntryUnderTest : IDisposable
{
    private readonly BpfObject _entry;
    private readonly List<byte[]> _punts = [];
    private RingBufferReader? _puntReader;

    public EntryUnderTest(string hook, string root)
    {
        Hook = hook;
        IsXdp = hook == "xdp";
        Root = root;
        BpfFs.EnsureMounted(root);
        _entry = Load($"entry.{hook}.o", root, moduleDir: null);
        Program = _entry.Program("hover_entry");
        Progs = _entry.Map(IsXdp ? "hover_progs_xdp" : "hover_progs_tc");
        Md = new BpfMap<uint, HoverMd>(_entry.Map("hover_md"));
        Stats = new BpfMap<uint, HoverPortStats>(_entry.Map("hover_stats"));
        Ports = new BpfMap<uint, HoverPort>(_entry.Map("hover_ports"));
        Netdevs = new NetdevMaps(
            new BpfMap<uint, HoverNetdev>(_entry.Map("hover_netdevs")),
            new BpfMap<uint, HoverNetdev>(_entry.Map("hover_netdev_ix")));
        PuntRing = _entry.Map("hover_punt");
        if (IsXdp)
        {
            TxXdp = new BpfMap<uint, DevmapValue>(_entry.Map("hover_tx_xdp"));
        }
    }

    /// <summary>"tc" or "xdp", as in the objects' file names.</summary>
    public string Hook { get; }

    public bool IsXdp { get; }

    public HookKind Kind => IsXdp ? HookKind.Xdp : HookKind.Tc;

    /// <summary>The pin root: the hover_* maps, and modules/&lt;name&gt; for each module's own.</summary>
    public string Root { get; }

    /// <summary>hover_entry, the netdev entry stub.</summary>
    public BpfProgram Program { get; }

    /// <summary>The hook's program array: module index → the module's hover_rx.</summary>
    public BpfMap Progs { get; }

    public BpfMap<uint, HoverMd> Md { get; }

    public BpfMap<uint, HoverPortStats> Stats { get; }

    public BpfMap<uint, HoverPort> Ports { get; }

    /// <summary>hover_netdevs and hover_netdev_ix, written as the daemon writes them.</summary>
    public NetdevMaps Netdevs { get; }

    /// <summary>The shared punt ring buffer (hover_punt).</summary>
    public BpfMap PuntRing { get; }

    /// <summary>The shared devmap XDP output goes through; null for tc.</summary>
    public BpfMap<uint, DevmapValue>? TxXdp { get; }

    public uint Drop => IsXdp ? 1u : 2u;          // XDP_DROP / TC_ACT_SHOT

    public uint Pass => IsXdp ? 2u : 0u;          // XDP_PASS / TC_ACT_OK

    public uint Redirect => IsXdp ? 4u : 7u;      // XDP_REDIRECT / TC_ACT_REDIRECT

    /// <summary>Fake ifindex of port <paramref name="port"/> of <paramref name="module"/>: 100 * module + port.</summary>
    public static uint IfindexOf(uint module, int port) => (uint)(100 * module + port);

    /// <summary>
    /// Opens <paramref name="file"/> with its hover_* maps pinned at the root (so a second object
    /// reuses the first one's) and its own maps in <paramref name="moduleDir"/>, then loads it.
    /// </summary>
    public static BpfObject Load(string file, string root, string? moduleDir)
    {
        var obj = BpfObject.Open(DatapathObjects.PathOf(file), new BpfObjectOpenOptions { PinRoot = root });
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

    /// <summary>
    /// Links port <paramref name="port"/> of <paramref name="module"/> to its fake netdev
    /// <see cref="IfindexOf"/> in hover_ports / hover_netdevs / hover_netdev_ix, and (XDP) in the shared devmap unless
    /// <paramref name="inDevmap"/> is false.
    /// </summary>
    public void LinkNetdev(uint module, int port, bool inDevmap = true)
    {
        uint ifindex = IfindexOf(module, port);
        Ports.Update(ChainAbi.GlobalPort((int)module, port), new HoverPort { PeerKind = 1, Ifindex = ifindex });
        Netdevs.Link(ifindex, module, (uint)port);
        // The devmap's entries must name real devices, so every fake ifindex maps to loopback
        // (test runs do not transmit).
        if (inDevmap)
        {
            TxXdp?.Update(ifindex, new DevmapValue { Ifindex = 1, ProgFd = 0 });
        }
    }

    /// <summary>Unlinks every netdev from its module port.</summary>
    public void ClearNetdevs()
    {
        foreach (uint ifindex in Netdevs.Ifindexes().ToList())
        {
            Netdevs.Unlink(ifindex);
        }
    }

    /// <summary>Unlinks port <paramref name="port"/> of <paramref name="module"/> and zeroes its counters.</summary>
    public void ClearPort(uint module, int port)
    {
        Ports.Update(ChainAbi.GlobalPort((int)module, port), default);
        ZeroStats(module, port);
    }

    public void ZeroStats(uint module, int port) =>
        Stats.UpdatePerCpu(ChainAbi.GlobalPort((int)module, port), new HoverPortStats[BpfMap.PossibleCpus]);

    /// <summary>hover_stats of port <paramref name="port"/> of <paramref name="module"/>, summed over CPUs.</summary>
    public HoverPortStats StatsOf(uint module, int port)
    {
        var sum = default(HoverPortStats);
        foreach (var s in Stats.LookupPerCpu(ChainAbi.GlobalPort((int)module, port)))
        {
            sum.RxPackets += s.RxPackets;
            sum.RxBytes += s.RxBytes;
            sum.TxPackets += s.TxPackets;
            sum.TxBytes += s.TxBytes;
            sum.Drops += s.Drops;
        }

        return sum;
    }

    /// <summary>Every punt record written since the last call, as raw bytes (the ring is drained).</summary>
    public IReadOnlyList<byte[]> TakePunts()
    {
        // Made on first use: most tests never read the ring.
        _puntReader ??= new RingBufferReader(PuntRing, record => _punts.Add(record.ToArray()));
        _puntReader.Consume();
        var taken = _punts.ToArray();
        _punts.Clear();
        return taken;
    }

    /// <summary>Runs hover_entry with no context: the test run's device is loopback (ifindex 1).</summary>
    public RunOutcome RunEntry(byte[] frame) =>
        Run(Program, new HoverMd { OutPort = RunOutcome.NoPort, Reason = RunOutcome.NoPort }, frame);

    /// <summary>
    /// Runs <paramref name="program"/> once with every CPU's hover_md set to <paramref name="initial"/>.
    /// The md returned is that of the CPU the program ran on (the one whose md changed), or
    /// <paramref name="initial"/> when the program changed nothing.
    /// </summary>
    public RunOutcome Run(BpfProgram program, HoverMd initial, byte[] frame)
    {
        SetMd(initial);
        var result = ProgramTestRun.Run(program.Fd, new TestRunOptions { DataIn = frame, Repeat = 1 });
        return new RunOutcome(result.ReturnValue, result.DataOut, ChangedMd(initial));
    }

    /// <summary>
    /// The kernel's mean run time per packet of <paramref name="program"/> over <paramref name="runs"/>
    /// test runs of <paramref name="repeat"/> repetitions each, every run starting from
    /// <paramref name="initial"/>, and the verdict of the last. A test run repeats the program on the same
    /// buffer without restoring it, so a frame that is rewritten must stay valid for
    /// <paramref name="repeat"/> passes; with one repetition every run gets a fresh copy.
    /// </summary>
    public (uint Verdict, double NsPerPacket) Time(BpfProgram program, HoverMd initial, byte[] frame, uint repeat, int runs)
    {
        double total = 0;
        uint verdict = 0;
        for (int i = 0; i < runs; i++)
        {
            SetMd(initial);
            var result = ProgramTestRun.Run(program.Fd, new TestRunOptions { DataIn = frame, Repeat = repeat });
            total += result.DurationNs;
            verdict = result.ReturnValue;
        }

        return (verdict, total / runs);
    }

    private void SetMd(HoverMd initial)
    {
        var all = new HoverMd[BpfMap.PossibleCpus];
        Array.Fill(all, initial);
        Md.UpdatePerCpu(0, all);
    }

    private HoverMd ChangedMd(HoverMd initial)
    {
        var changed = Md.LookupPerCpu(0).Where(md => !Same(md, initial)).ToArray();
        Assert.True(changed.Length <= 1, $"{changed.Length} CPUs' hover_md changed during one test run");
        return changed.Length == 1 ? changed[0] : initial;
    }

    private static unsafe bool Same(HoverMd a, HoverMd b) =>
        a.Module == b.Module && a.InPort == b.InPort && a.OutPort == b.OutPort && a.Flags == b.Flags &&
        a.Ifindex == b.Ifindex && a.Hops == b.Hops && a.Reason == b.Reason &&
        a.Words[0] == b.Words[0] && a.Words[1] == b.Words[1] && a.Words[2] == b.Words[2] && a.Words[3] == b.Words[3];

    public void Dispose()
    {
        _puntReader?.Dispose();
        _entry.Dispose();
    }
}
