using IoVisor.Bpf;
using IoVisor.IoModules.Abi;
using IoVisor.IoModules.Bridge;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// The datapath of both hooks loaded the way the daemon loads it (PatchPanel, ModuleLoader,
/// DatapathPins): entry.&lt;hook&gt;.o first, then bridge.&lt;hook&gt;.o sharing the hover_* maps
/// through pins, the bridge's hover_rx in the hook's program array at module index 1. Each hook has
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

/// <summary>One hook's loaded datapath: entry + bridge, and typed views of their maps.</summary>
public sealed class HookDatapath : IDisposable
{
    public const uint BridgeModule = 1;
    public const string BridgeName = "br";

    /// <summary>Fake ifindex of bridge port p (hover_ports / hover_netdevs / hover_tx_xdp key).</summary>
    public static uint IfindexOf(int port) => (uint)(100 + port);

    private readonly BpfObject _entry;
    private readonly BpfObject _bridge;

    public HookDatapath(string hook, string root)
    {
        Hook = hook;
        IsXdp = hook == "xdp";
        BpfFs.EnsureMounted(root);
        string moduleDir = Path.Combine(root, "modules", BridgeName);
        BpfFs.EnsureMounted(moduleDir);

        _entry = Open($"entry.{hook}.o", root, moduleDir: null);
        _bridge = Open($"bridge.{hook}.o", root, moduleDir);

        Entry = _entry.Program("hover_entry");
        BridgeRx = _bridge.Program("hover_rx");
        ProgArray.Set(_entry.Map(IsXdp ? "hover_progs_xdp" : "hover_progs_tc"), BridgeModule, BridgeRx.Fd);

        Md = new BpfMap<uint, HoverMd>(_entry.Map("hover_md"));
        Stats = new BpfMap<uint, HoverPortStats>(_entry.Map("hover_stats"));
        Ports = new BpfMap<uint, HoverPort>(_entry.Map("hover_ports"));
        Netdevs = new BpfMap<uint, HoverNetdev>(_entry.Map("hover_netdevs"));
        Fdb = new BpfMap<BridgeFdbKey, BridgeFdbEntry>(_bridge.Map("bridge_fdb"));
        Config = new BpfMap<uint, BridgeConfig>(_bridge.Map("bridge_cfg"));
        BridgePorts = new BpfMap<uint, BridgePort>(_bridge.Map("bridge_ports"));
        if (IsXdp)
        {
            TxXdp = new BpfMap<uint, DevmapValue>(_entry.Map("hover_tx_xdp"));
        }
    }

    public string Hook { get; }

    public bool IsXdp { get; }

    public BpfProgram Entry { get; }

    public BpfProgram BridgeRx { get; }

    public BpfMap<uint, HoverMd> Md { get; }

    public BpfMap<uint, HoverPortStats> Stats { get; }

    public BpfMap<uint, HoverPort> Ports { get; }

    public BpfMap<uint, HoverNetdev> Netdevs { get; }

    public BpfMap<BridgeFdbKey, BridgeFdbEntry> Fdb { get; }

    public BpfMap<uint, BridgeConfig> Config { get; }

    public BpfMap<uint, BridgePort> BridgePorts { get; }

    public BpfMap<uint, DevmapValue>? TxXdp { get; }

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
        uint ifindex = IfindexOf(port);
        BridgePorts.Update((uint)port, bp);
        Ports.Update(ChainAbi.GlobalPort((int)BridgeModule, port), new HoverPort { PeerKind = 1, Ifindex = ifindex });
        Netdevs.Update(ifindex, new HoverNetdev { Module = BridgeModule, Port = (uint)port });
        // XDP output goes through the shared devmap keyed by ifindex; its entries must name real
        // devices, so every fake port ifindex maps to loopback (test runs do not transmit).
        TxXdp?.Update(ifindex, new DevmapValue { Ifindex = 1, ProgFd = 0 });
    }

    private const uint Sentinel = 0xDEADBEEF;

    /// <summary>
    /// Runs the bridge's hover_rx directly, as if the framework had entered module 1 on
    /// <paramref name="port"/>: every CPU's hover_md is {Module=1, InPort=port, OutPort=sentinel}.
    /// The md returned is that of the CPU the program ran on (the one whose md changed), or the
    /// initial md when the program changed nothing.
    /// </summary>
    public RunOutcome RunBridge(int port, byte[] frame)
    {
        var initial = new HoverMd { Module = BridgeModule, InPort = (uint)port, OutPort = Sentinel, Reason = Sentinel };
        var all = new HoverMd[BpfMap.PossibleCpus];
        Array.Fill(all, initial);
        Md.UpdatePerCpu(0, all);
        var result = ProgramTestRun.Run(BridgeRx.Fd, new TestRunOptions { DataIn = frame, Repeat = 1 });
        return new RunOutcome(result.ReturnValue, result.DataOut, ChangedMd(initial));
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

    private static bool Same(HoverMd a, HoverMd b) =>
        a.Module == b.Module && a.InPort == b.InPort && a.OutPort == b.OutPort && a.Flags == b.Flags &&
        a.Ifindex == b.Ifindex && a.Hops == b.Hops && a.Reason == b.Reason;

    /// <summary>hover_stats of bridge port <paramref name="port"/>, summed over CPUs.</summary>
    public HoverPortStats StatsOf(int port)
    {
        var sum = default(HoverPortStats);
        foreach (var s in Stats.LookupPerCpu(ChainAbi.GlobalPort((int)BridgeModule, port)))
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
        _bridge?.Dispose();
        _entry?.Dispose();
    }
}

public sealed record RunOutcome(uint Verdict, byte[] DataOut, HoverMd Md)
{
    public const uint NoPort = 0xDEADBEEF;

    public bool Flooded => (Md.Flags & 2u) != 0;
}
