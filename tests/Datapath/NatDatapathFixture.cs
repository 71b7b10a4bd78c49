using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.IoModules;
using IoVisor.IoModules.Abi;
using IoVisor.IoModules.Nat;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// The NAT of both hooks loaded the way the daemon loads a module: entry.&lt;hook&gt;.o first, then
/// nat.&lt;hook&gt;.o sharing the hover_* maps through pins, its own maps in modules/nat, its hover_rx at
/// module index 3, and bound to the NAT's control plane (<see cref="NatModuleType.Bind"/>) so that
/// ports and rules reach the maps exactly as the daemon writes them. Each hook has its own pin root
/// under one temporary bpffs directory, removed in Dispose (and on failure).
/// </summary>
public sealed class NatDatapathFixture : IDisposable
{
    public NatDatapathFixture()
    {
        DatapathFixture.RequireRoot();
        Root = $"{BpfFs.DefaultMountPoint}/iovisor-nat-{Guid.NewGuid():N}";
        BpfFs.EnsureMounted(Root);
        try
        {
            Tc = new NatHook("tc", Path.Combine(Root, "tc"));
            Xdp = new NatHook("xdp", Path.Combine(Root, "xdp"));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Root { get; }

    public NatHook Tc { get; } = null!;

    public NatHook Xdp { get; } = null!;

    public NatHook this[string hook] => hook == "xdp" ? Xdp : Tc;

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

/// <summary>One hook's NAT: port 0 "in" (inside), port 1 "out" (outside, 192.0.2.1), each linked to a
/// fake netdev; its tables, and typed views of the maps the tests read.</summary>
public sealed class NatHook : IDisposable
{
    public const uint Module = 3;
    public const int Inside = 0;
    public const int Outside = 1;
    public const string OutsideAddress = "192.0.2.1";
    private const uint Sentinel = 0xDEADBEEF;

    private readonly BpfObject _entry;
    private readonly BpfObject _nat;

    public NatHook(string hook, string root)
    {
        IsXdp = hook == "xdp";
        BpfFs.EnsureMounted(root);
        var moduleDir = Path.Combine(root, "modules", "nat");
        BpfFs.EnsureMounted(moduleDir);
        _entry = Open($"entry.{hook}.o", root, null);
        _nat = Open($"nat.{hook}.o", root, moduleDir);
        Rx = _nat.Program("hover_rx");
        ProgArray.Set(_entry.Map(IsXdp ? "hover_progs_xdp" : "hover_progs_tc"), Module, Rx.Fd);
        Md = new BpfMap<uint, HoverMd>(_entry.Map("hover_md"));
        Stats = new BpfMap<uint, HoverPortStats>(_entry.Map("hover_stats"));
        Ports = new BpfMap<uint, HoverPort>(_entry.Map("hover_ports"));
        InsideMac = new BpfMap<uint, NatMac>(_nat.Map("nat_inside_mac"));
        if (IsXdp)
        {
            TxXdp = new BpfMap<uint, DevmapValue>(_entry.Map("hover_tx_xdp"));
        }
        Nat = new NatModuleType().Bind(new ModuleObject("nat", (int)Module, IsXdp ? HookKind.Xdp : HookKind.Tc, _nat, new TwoPorts()));
    }

    public bool IsXdp { get; }

    public BpfProgram Rx { get; }

    public IModuleDatapath Nat { get; }

    public IModuleTable Rules => Nat.Table("rules");

    public IModuleTable Sessions => Nat.Table("sessions");

    public BpfMap<uint, HoverMd> Md { get; }

    public BpfMap<uint, HoverPortStats> Stats { get; }

    public BpfMap<uint, HoverPort> Ports { get; }

    public BpfMap<uint, NatMac> InsideMac { get; }

    public BpfMap<uint, DevmapValue>? TxXdp { get; }

    public uint Drop => IsXdp ? 1u : 2u;

    public uint Redirect => IsXdp ? 4u : 7u;

    /// <summary>A NAT with no rules, no connections, no learned MAC and zero counters; ports as above,
    /// the module config as given.</summary>
    public void Reset(JsonObject? config = null)
    {
        Rules.Flush();
        Sessions.Flush();
        InsideMac.Update(0, default);
        Nat.ApplyConfig(new NatModuleType().NormalizeConfig(config));
        Nat.ApplyPort(Inside, new JsonObject { ["role"] = "inside" });
        Nat.ApplyPort(Outside, new JsonObject { ["role"] = "outside", ["address"] = OutsideAddress });
        var zero = new HoverPortStats[BpfMap.PossibleCpus];
        foreach (var port in new[] { Inside, Outside })
        {
            var ifindex = 100 * Module + (uint)port;
            Ports.Update(ChainAbi.GlobalPort((int)Module, port), new HoverPort { PeerKind = 1, Ifindex = ifindex });
            Stats.UpdatePerCpu(ChainAbi.GlobalPort((int)Module, port), zero);
            // Test runs never transmit; the devmap only has to name a real device.
            TxXdp?.Update(ifindex, new DevmapValue { Ifindex = 1, ProgFd = 0 });
        }
    }

    public JsonObject AddRule(string json) => Rules.Put(null, JsonNode.Parse(json)!.AsObject());

    /// <summary>Runs the NAT's hover_rx as if the framework had entered it on <paramref name="port"/>.</summary>
    public RunOutcome Run(int port, byte[] frame)
    {
        var initial = SetMd(port);
        var result = ProgramTestRun.Run(Rx.Fd, new TestRunOptions { DataIn = frame, Repeat = 1 });
        var changed = Md.LookupPerCpu(0).Where(md => md.OutPort != initial.OutPort).ToArray();
        return new RunOutcome(result.ReturnValue, result.DataOut, changed.Length == 1 ? changed[0] : initial);
    }

    /// <summary>The kernel's mean run time of one packet over <paramref name="calls"/> test runs of one
    /// repetition each (the frame is fresh in each), and the last verdict.</summary>
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
        _nat?.Dispose();
        _entry?.Dispose();
    }

    private sealed class TwoPorts : IModulePorts
    {
        public string? NameOf(int index) => index switch
        {
            Inside => "in",
            Outside => "out",
            _ => null,
        };

        public int? IndexOf(string name) => name switch
        {
            "in" => Inside,
            "out" => Outside,
            _ => null,
        };
    }
}
