using IoVisor.Bpf;
using IoVisor.IoModules.Abi;
using IoVisor.IoModules.Bridge;
using IoVisor.IoModules.Router;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// The datapath of both hooks loaded the way the daemon loads it (PatchPanel, ModuleLoader,
/// DatapathPins): entry.&lt;hook&gt;.o first, then bridge.&lt;hook&gt;.o and router.&lt;hook&gt;.o sharing the
/// hover_* maps through pins, each module's own maps pinned in its modules/&lt;name&gt; folder, the
/// bridge's hover_rx in the hook's program array at module index 1, the router's at 2. Each hook has
/// its own pin root under one temporary bpffs directory, removed in Dispose (and on failure).
/// </summary>
public sealed class DatapathFixture : IDisposable
{
    public DatapathFixture()
    {
        RequireRoot();
        Root = $"{BpfFs.DefaultMountPoint}/iovisor-dp-{Guid.NewGuid():N}";
        BpfFs.EnsureMounted(Root);
        try
        {
            Tc = new HookDatapath("tc", Path.Combine(Root, "tc"));
            Xdp = new HookDatapath("xdp", Path.Combine(Root, "xdp"));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Root { get; }

    public HookDatapath Tc { get; } = null!;

    public HookDatapath Xdp { get; } = null!;

    public HookDatapath this[string hook] => hook switch
    {
        "tc" => Tc,
        "xdp" => Xdp,
        _ => throw new ArgumentOutOfRangeException(nameof(hook), hook, "tc or xdp"),
    };

    public static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                "The datapath tests load BPF programs, pin maps on bpffs and use BPF_PROG_TEST_RUN: run them as root.");
        }
    }

    public static string ObjectPath(string name) => Path.Combine(AppContext.BaseDirectory, "bpf", name);

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

/// <summary>One hook's loaded datapath: entry + bridge + router, and typed views of their maps.</summary>
public sealed class HookDatapath : IDisposable
{
    public const uint BridgeModule = 1;
    public const string BridgeName = "br";
    public const uint RouterModule = 2;
    public const string RouterName = "rt";

    /// <summary>Fake ifindex of bridge port p (hover_ports / hover_netdevs / hover_tx_xdp key).</summary>
    public static uint IfindexOf(int port) => IfindexOf(BridgeModule, port);

    /// <summary>Fake ifindex of port p of <paramref name="module"/>: 100 * module + p.</summary>
    public static uint IfindexOf(uint module, int port) => (uint)(100 * module + port);

    private readonly BpfObject _entry;
    private readonly BpfObject _bridge;
    private readonly BpfObject _router;
    private RingBufferReader? _puntReader;
    private readonly List<PuntOutcome> _punts = [];

    public HookDatapath(string hook, string root)
    {
        Hook = hook;
        IsXdp = hook == "xdp";
        BpfFs.EnsureMounted(root);
        string moduleDir = Path.Combine(root, "modules", BridgeName);
        BpfFs.EnsureMounted(moduleDir);
        string routerDir = Path.Combine(root, "modules", RouterName);
        BpfFs.EnsureMounted(routerDir);

        _entry = Open($"entry.{hook}.o", root, moduleDir: null);
        _bridge = Open($"bridge.{hook}.o", root, moduleDir);
        _router = Open($"router.{hook}.o", root, routerDir);

        Entry = _entry.Program("hover_entry");
        BridgeRx = _bridge.Program("hover_rx");
        RouterRx = _router.Program("hover_rx");
        var progs = _entry.Map(IsXdp ? "hover_progs_xdp" : "hover_progs_tc");
        ProgArray.Set(progs, BridgeModule, BridgeRx.Fd);
        ProgArray.Set(progs, RouterModule, RouterRx.Fd);

        Md = new BpfMap<uint, HoverMd>(_entry.Map("hover_md"));
        Stats = new BpfMap<uint, HoverPortStats>(_entry.Map("hover_stats"));
        Ports = new BpfMap<uint, HoverPort>(_entry.Map("hover_ports"));
        Netdevs = new BpfMap<uint, HoverNetdev>(_entry.Map("hover_netdevs"));
        Fdb = new BpfMap<BridgeFdbKey, BridgeFdbEntry>(_bridge.Map("bridge_fdb"));
        Config = new BpfMap<uint, BridgeConfig>(_bridge.Map("bridge_cfg"));
        BridgePorts = new BpfMap<uint, BridgePort>(_bridge.Map("bridge_ports"));
        RouterPorts = new BpfMap<uint, RouterPort>(_router.Map("router_ports"));
        RouterLocal = new BpfMap<uint, RouterLocal>(_router.Map("router_local"));
        RouterRoutes = new BpfMap<RouterRouteKey, RouterRoute>(_router.Map("router_routes"));
        RouterNeigh = new BpfMap<uint, RouterNeigh>(_router.Map("router_neigh"));
        PuntRing = _entry.Map("hover_punt");
        if (IsXdp)
        {
            TxXdp = new BpfMap<uint, DevmapValue>(_entry.Map("hover_tx_xdp"));
        }
    }

    public string Hook { get; }

    public bool IsXdp { get; }

    public BpfProgram Entry { get; }

    public BpfProgram BridgeRx { get; }

    public BpfProgram RouterRx { get; }

    public BpfMap<uint, HoverMd> Md { get; }

    public BpfMap<uint, HoverPortStats> Stats { get; }

    public BpfMap<uint, HoverPort> Ports { get; }

    public BpfMap<uint, HoverNetdev> Netdevs { get; }

    public BpfMap<BridgeFdbKey, BridgeFdbEntry> Fdb { get; }

    public BpfMap<uint, BridgeConfig> Config { get; }

    public BpfMap<uint, BridgePort> BridgePorts { get; }

    public BpfMap<uint, DevmapValue>? TxXdp { get; }

    /// <summary>router_ports: port → {mac, enabled}.</summary>
    public BpfMap<uint, RouterPort> RouterPorts { get; }

    /// <summary>router_local: address (network order in the uint's bytes) → port.</summary>
    public BpfMap<uint, RouterLocal> RouterLocal { get; }

    public BpfMap<RouterRouteKey, RouterRoute> RouterRoutes { get; }

    /// <summary>router_neigh: address (network order in the uint's bytes) → neighbour.</summary>
    public BpfMap<uint, RouterNeigh> RouterNeigh { get; }

    /// <summary>The shared punt ring buffer (hover_punt).</summary>
    public BpfMap PuntRing { get; }

    public uint Drop => IsXdp ? 1u : 2u;          // XDP_DROP / TC_ACT_SHOT

    public uint Pass => IsXdp ? 2u : 0u;          // XDP_PASS / TC_ACT_OK

    public uint Redirect => IsXdp ? 4u : 7u;      // XDP_REDIRECT / TC_ACT_REDIRECT

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

    /// <summary>Empties every table the tests touch: a test starts from a bridge with no ports.</summary>
    public void Reset(ulong agingNs = 0)
    {
        Fdb.Clear();
        Netdevs.Clear();
        TxXdp?.Clear();
        Config.Update(0, new BridgeConfig { AgingNs = agingNs });
        var zeroStats = new HoverPortStats[BpfMap.PossibleCpus];
        for (int p = 0; p < ChainAbi.MaxPorts; p++)
        {
            BridgePorts.Update((uint)p, default);
            Ports.Update(ChainAbi.GlobalPort((int)BridgeModule, p), default);
            Stats.UpdatePerCpu(ChainAbi.GlobalPort((int)BridgeModule, p), zeroStats);
        }
    }

    public void Access(int port, ushort vlan) =>
        AddPort(port, new BridgePort { Mode = BridgeAbi.PortAccess, Pvid = vlan });

    public unsafe void Trunk(int port, ushort native, params ushort[] vlans)
    {
        var bp = new BridgePort { Mode = BridgeAbi.PortTrunk, Pvid = native };
        foreach (ushort vid in vlans)
        {
            bp.Vlans[vid >> 6] |= 1ul << (vid & 63);
        }

        AddPort(port, bp);
    }

    private void AddPort(int port, BridgePort bp)
    {
        BridgePorts.Update((uint)port, bp);
        LinkNetdev(BridgeModule, port);
    }

    /// <summary>
    /// Links port <paramref name="port"/> of <paramref name="module"/> to its fake netdev
    /// <see cref="IfindexOf(uint, int)"/> in hover_ports / hover_netdevs, and (XDP) in the shared devmap
    /// unless <paramref name="inDevmap"/> is false.
    /// </summary>
    public void LinkNetdev(uint module, int port, bool inDevmap = true)
    {
        uint ifindex = IfindexOf(module, port);
        Ports.Update(ChainAbi.GlobalPort((int)module, port), new HoverPort { PeerKind = 1, Ifindex = ifindex });
        Netdevs.Update(ifindex, new HoverNetdev { Module = module, Port = (uint)port });
        // XDP output goes through the shared devmap keyed by ifindex; its entries must name real
        // devices, so every fake port ifindex maps to loopback (test runs do not transmit).
        if (inDevmap)
        {
            TxXdp?.Update(ifindex, new DevmapValue { Ifindex = 1, ProgFd = 0 });
        }
    }

    /// <summary>Empties the router's tables, its hover_ports / hover_stats slots, hover_netdevs,
    /// the devmap and the punt ring: a test starts from a router with no ports.</summary>
    public void ResetRouter()
    {
        RouterLocal.Clear();
        RouterRoutes.Clear();
        RouterNeigh.Clear();
        Netdevs.Clear();
        TxXdp?.Clear();
        var zeroStats = new HoverPortStats[BpfMap.PossibleCpus];
        for (int p = 0; p < ChainAbi.MaxPorts; p++)
        {
            RouterPorts.Update((uint)p, default);
            Ports.Update(ChainAbi.GlobalPort((int)RouterModule, p), default);
            Stats.UpdatePerCpu(ChainAbi.GlobalPort((int)RouterModule, p), zeroStats);
        }

        TakePunts();
    }

    /// <summary>Every punt record written since the last call (the ring is drained).</summary>
    public IReadOnlyList<PuntOutcome> TakePunts()
    {
        _puntReader ??= new RingBufferReader(PuntRing, record => _punts.Add(PuntOutcome.Parse(record)));
        _puntReader.Consume();
        var taken = _punts.ToArray();
        _punts.Clear();
        return taken;
    }

    private const uint Sentinel = 0xDEADBEEF;

    /// <summary>
    /// Runs the bridge's hover_rx directly, as if the framework had entered module 1 on
    /// <paramref name="port"/>: every CPU's hover_md is {Module=1, InPort=port, OutPort=sentinel}.
    /// The md returned is that of the CPU the program ran on (the one whose md changed), or the
    /// initial md when the program changed nothing.
    /// </summary>
    public RunOutcome RunBridge(int port, byte[] frame) => RunModule(BridgeModule, BridgeRx, port, frame);

    /// <summary>Runs the router's hover_rx as if the framework had entered module 2 on <paramref name="port"/>
    /// (see <see cref="RunBridge"/>).</summary>
    public RunOutcome RunRouter(int port, byte[] frame) => RunModule(RouterModule, RouterRx, port, frame);

    /// <summary>
    /// The kernel's mean run time per packet of the router's hover_rx entered on <paramref name="port"/>,
    /// over <paramref name="runs"/> test runs of <paramref name="repeat"/> repetitions each, and the
    /// verdict of the last. A test run repeats the program on the same buffer without restoring it, so
    /// a frame that is rewritten must stay valid for <paramref name="repeat"/> passes (a forwarded
    /// frame loses one TTL per pass).
    /// </summary>
    public (uint Verdict, double NsPerPacket) TimeRouter(int port, byte[] frame, uint repeat, int runs)
    {
        double total = 0;
        uint verdict = 0;
        for (int i = 0; i < runs; i++)
        {
            SetMd(new HoverMd { Module = RouterModule, InPort = (uint)port, OutPort = Sentinel, Reason = Sentinel });
            var result = ProgramTestRun.Run(RouterRx.Fd, new TestRunOptions { DataIn = frame, Repeat = repeat });
            total += result.DurationNs;
            verdict = result.ReturnValue;
        }

        return (verdict, total / runs);
    }

    private RunOutcome RunModule(uint module, BpfProgram program, int port, byte[] frame)
    {
        var initial = new HoverMd { Module = module, InPort = (uint)port, OutPort = Sentinel, Reason = Sentinel };
        SetMd(initial);
        var result = ProgramTestRun.Run(program.Fd, new TestRunOptions { DataIn = frame, Repeat = 1 });
        return new RunOutcome(result.ReturnValue, result.DataOut, ChangedMd(initial));
    }

    private void SetMd(HoverMd initial)
    {
        var all = new HoverMd[BpfMap.PossibleCpus];
        Array.Fill(all, initial);
        Md.UpdatePerCpu(0, all);
    }

    /// <summary>Runs hover_entry with no context: the test run's device is loopback (ifindex 1).</summary>
    public RunOutcome RunEntry(byte[] frame)
    {
        var initial = new HoverMd { OutPort = Sentinel, Reason = Sentinel };
        var all = new HoverMd[BpfMap.PossibleCpus];
        Array.Fill(all, initial);
        Md.UpdatePerCpu(0, all);
        var result = ProgramTestRun.Run(Entry.Fd, new TestRunOptions { DataIn = frame, Repeat = 1 });
        return new RunOutcome(result.ReturnValue, result.DataOut, ChangedMd(initial));
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

    /// <summary>hover_stats of bridge port <paramref name="port"/>, summed over CPUs.</summary>
    public HoverPortStats StatsOf(int port) => StatsOf(BridgeModule, port);

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

    public static unsafe BridgeFdbKey Key(byte[] mac, ushort vlan)
    {
        var key = new BridgeFdbKey { Vlan = vlan };
        for (int i = 0; i < 6; i++)
        {
            key.Mac[i] = mac[i];
        }

        return key;
    }

    public bool TryFdb(byte[] mac, ushort vlan, out BridgeFdbEntry entry) => Fdb.TryLookup(Key(mac, vlan), out entry);

    public void Dispose()
    {
        _puntReader?.Dispose();
        _router?.Dispose();
        _bridge?.Dispose();
        _entry?.Dispose();
    }
}

/// <summary>One record of the punt ring: struct hover_punt and the first CapLen bytes of the frame.</summary>
public sealed record PuntOutcome(HoverPunt Head, byte[] Frame)
{
    public static unsafe PuntOutcome Parse(ReadOnlySpan<byte> record)
    {
        Assert.True(record.Length >= sizeof(HoverPunt), $"punt record of {record.Length} bytes");
        var head = System.Runtime.InteropServices.MemoryMarshal.Read<HoverPunt>(record);
        int cap = (int)head.CapLen;
        Assert.True(cap <= ChainAbi.PuntSnap && sizeof(HoverPunt) + cap <= record.Length, $"punt record caplen {cap} in {record.Length} bytes");
        return new PuntOutcome(head, record.Slice(sizeof(HoverPunt), cap).ToArray());
    }

    public unsafe ulong Word(int i)
    {
        var head = Head;
        return head.Words[i];
    }
}

public sealed record RunOutcome(uint Verdict, byte[] DataOut, HoverMd Md)
{
    public const uint NoPort = 0xDEADBEEF;

    public bool Flooded => (Md.Flags & 2u) != 0;
}
