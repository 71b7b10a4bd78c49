using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.IoModules;
using IoVisor.IoModules.Abi;
using IoVisor.IoModules.L4lb;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// The load balancer of both hooks, loaded as the daemon loads it (entry.&lt;hook&gt;.o for the
/// shared maps, l4lb.&lt;hook&gt;.o with its own maps in modules/lb) under one temporary bpffs
/// directory, and driven by its real control plane (<see cref="L4lbModuleType.Bind"/>): the tests
/// write services and backends through the tables, as the REST API does.
/// </summary>
public sealed class L4lbFixture : IDisposable
{
    public L4lbFixture()
    {
        DatapathFixture.RequireRoot();
        Root = $"{BpfFs.DefaultMountPoint}/iovisor-lb-{Guid.NewGuid():N}";
        BpfFs.EnsureMounted(Root);
        try
        {
            Tc = new L4lbHook("tc", Path.Combine(Root, "tc"));
            Xdp = new L4lbHook("xdp", Path.Combine(Root, "xdp"));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Root { get; }

    public L4lbHook Tc { get; } = null!;

    public L4lbHook Xdp { get; } = null!;

    public L4lbHook this[string hook] => hook == "xdp" ? Xdp : Tc;

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

/// <summary>One hook's balancer at module index <see cref="Module"/>, port 0 the front and port 1
/// the back, each linked to a fake netdev.</summary>
public sealed class L4lbHook : IDisposable
{
    public const uint Module = 3;
    public const int Front = 0;
    public const int Back = 1;
    private const uint Sentinel = 0xDEADBEEF;

    private readonly BpfObject _entry;
    private readonly BpfObject _lb;

    public L4lbHook(string hook, string root)
    {
        IsXdp = hook == "xdp";
        BpfFs.EnsureMounted(root);
        var moduleDir = Path.Combine(root, "modules", "lb");
        BpfFs.EnsureMounted(moduleDir);
        _entry = Open($"entry.{hook}.o", root, null);
        _lb = Open($"l4lb.{hook}.o", root, moduleDir);
        Rx = _lb.Program("hover_rx");
        ProgArray.Set(_entry.Map(IsXdp ? "hover_progs_xdp" : "hover_progs_tc"), Module, Rx.Fd);
        Md = new BpfMap<uint, HoverMd>(_entry.Map("hover_md"));
        Stats = new BpfMap<uint, HoverPortStats>(_entry.Map("hover_stats"));
        var ports = new BpfMap<uint, HoverPort>(_entry.Map("hover_ports"));
        var devmap = IsXdp ? new BpfMap<uint, DevmapValue>(_entry.Map("hover_tx_xdp")) : null;
        foreach (var port in new[] { Front, Back })
        {
            var ifindex = (uint)(100 * Module + port);
            ports.Update(ChainAbi.GlobalPort((int)Module, port), new HoverPort { PeerKind = 1, Ifindex = ifindex });
            // Test runs do not transmit, but an XDP redirect needs a real device in the devmap.
            devmap?.Update(ifindex, new DevmapValue { Ifindex = 1 });
        }
        Control = new L4lbModuleType().Bind(new ModuleObject("lb", (int)Module, IsXdp ? HookKind.Xdp : HookKind.Tc, _lb, new PortNames()));
        Control.ApplyPort(Front, new JsonObject { ["role"] = "front" });
        Control.ApplyPort(Back, new JsonObject { ["role"] = "back" });
    }

    public bool IsXdp { get; }

    public BpfProgram Rx { get; }

    public IModuleDatapath Control { get; }

    public BpfMap<uint, HoverMd> Md { get; }

    public BpfMap<uint, HoverPortStats> Stats { get; }

    public uint Drop => IsXdp ? 1u : 2u;

    public uint Redirect => IsXdp ? 4u : 7u;

    public IModuleTable Services => Control.Table("services");

    public IModuleTable Backends => Control.Table("backends");

    public IModuleTable Sessions => Control.Table("sessions");

    /// <summary>No services, backends or sessions; port counters at zero; the default config.</summary>
    public void Reset(int maglevTableSize = MaglevTable.DefaultSize)
    {
        Sessions.Flush();
        Backends.Flush();
        Services.Flush();
        Control.ApplyConfig(new JsonObject { ["maglevTableSize"] = maglevTableSize });
        foreach (var port in new[] { Front, Back })
        {
            Stats.UpdatePerCpu(ChainAbi.GlobalPort((int)Module, port), new HoverPortStats[BpfMap.PossibleCpus]);
        }
    }

    /// <summary>Runs hover_rx as if the framework had entered the balancer on <paramref name="port"/>.</summary>
    public RunOutcome Run(int port, byte[] frame)
    {
        var initial = SetMd(port);
        var result = ProgramTestRun.Run(Rx.Fd, new TestRunOptions { DataIn = frame, Repeat = 1 });
        var changed = Md.LookupPerCpu(0).Where(md => md.OutPort != Sentinel).ToArray();
        Assert.True(changed.Length <= 1, $"{changed.Length} CPUs' hover_md changed during one test run");
        return new RunOutcome(result.ReturnValue, result.DataOut, changed.Length == 1 ? changed[0] : initial);
    }

    /// <summary>The kernel's mean time per packet over <paramref name="calls"/> test runs of one
    /// repetition each, every one on a fresh copy of <paramref name="frame"/> (a repetition would
    /// see the frame the previous one rewrote).</summary>
    public (uint Verdict, double NsPerPacket) Time(int port, byte[] frame, int calls)
    {
        SetMd(port);
        double total = 0;
        uint verdict = 0;
        for (var i = 0; i < calls; i++)
        {
            var result = ProgramTestRun.Run(Rx.Fd, new TestRunOptions { DataIn = frame, Repeat = 1 });
            total += result.DurationNs;
            verdict = result.ReturnValue;
        }
        return (verdict, total / calls);
    }

    public HoverPortStats StatsOf(int port)
    {
        var sum = default(HoverPortStats);
        foreach (var s in Stats.LookupPerCpu(ChainAbi.GlobalPort((int)Module, port)))
        {
            sum.RxPackets += s.RxPackets;
            sum.TxPackets += s.TxPackets;
            sum.Drops += s.Drops;
        }
        return sum;
    }

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
        _lb?.Dispose();
        _entry?.Dispose();
    }

    private sealed class PortNames : IModulePorts
    {
        public string? NameOf(int index) => index == Front ? "front" : index == Back ? "back" : null;

        public int? IndexOf(string name) => name == "front" ? Front : name == "back" ? Back : null;
    }
}
