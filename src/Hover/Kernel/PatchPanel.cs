using IoVisor.Bpf;
using IoVisor.IoModules;
using IoVisor.IoModules.Abi;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.Kernel;

/// <summary>The shared part of the datapath: the entry and injection programs of both hooks and
/// the maps every module reads (program arrays, ports, netdevs, stats, punt ring). All of it is
/// pinned under the bpffs root, so it outlives the daemon; opening it again adopts what is there.</summary>
public sealed class PatchPanel : IDisposable
{
    private readonly BpfObject _tc;
    private readonly BpfObject _xdp;
    private readonly XdpMode _xdpMode;

    public PatchPanel(IOptions<HoverOptions> options)
    {
        var o = options.Value;
        Root = o.BpffsDir;
        BpfFs.EnsureMounted(Root);
        _xdpMode = o.XdpMode == "generic" ? XdpMode.Generic : XdpMode.Native;
        _tc = LoadEntry(Path.Combine(o.ObjectsDir, "entry.tc.o"), "tc");
        _xdp = LoadEntry(Path.Combine(o.ObjectsDir, "entry.xdp.o"), "xdp");
        Ports = new BpfMap<uint, HoverPort>(_tc.Map("hover_ports"));
        Netdevs = new NetdevMaps(
            new BpfMap<uint, HoverNetdev>(_tc.Map("hover_netdevs")),
            new BpfMap<uint, HoverNetdev>(_tc.Map("hover_netdev_ix")));
        Stats = new BpfMap<uint, HoverPortStats>(_tc.Map("hover_stats"));
        TxXdp = new BpfMap<uint, DevmapValue>(_xdp.Map("hover_tx_xdp"));
        Punt = _tc.Map("hover_punt");
        TraceConfig = new BpfMap<uint, HoverTraceCfg>(_tc.Map("hover_trace_cfg"));
        Trace = _tc.Map("hover_trace");
    }

    public string Root { get; }

    public BpfMap<uint, HoverPort> Ports { get; }

    public NetdevMaps Netdevs { get; }

    public BpfMap<uint, HoverPortStats> Stats { get; }

    public BpfMap<uint, DevmapValue> TxXdp { get; }

    /// <summary>The ring buffer modules punt packets into.</summary>
    public BpfMap Punt { get; }

    /// <summary>The filter of the running packet trace (enabled = 0: none).</summary>
    public BpfMap<uint, HoverTraceCfg> TraceConfig { get; }

    /// <summary>The ring buffer traced packets' hops are written into.</summary>
    public BpfMap Trace { get; }

    /// <summary>Program that takes re-injected frames on the injection device.</summary>
    public BpfProgram InjectProgram(HookKind hook) => Entry(hook).Program("hover_inject");

    private BpfObject Entry(HookKind hook) => hook == HookKind.Xdp ? _xdp : _tc;

    private BpfObject LoadEntry(string path, string suffix)
    {
        var obj = BpfObject.Open(path, new BpfObjectOpenOptions { PinRoot = Root });
        DatapathPins.Assign(obj, Root, moduleDir: null);
        obj.Load();
        obj.Program("hover_entry").Pin(Path.Combine(Root, $"entry_{suffix}"));
        obj.Program("hover_inject").Pin(Path.Combine(Root, $"inject_{suffix}"));
        return obj;
    }

    public void SetModuleProgram(HookKind hook, int index, BpfProgram program) =>
        ProgArray.Set(Entry(hook).Map(hook == HookKind.Xdp ? "hover_progs_xdp" : "hover_progs_tc"), (uint)index, program.Fd);

    public void ClearModuleProgram(HookKind hook, int index) =>
        ProgArray.Clear(Entry(hook).Map(hook == HookKind.Xdp ? "hover_progs_xdp" : "hover_progs_tc"), (uint)index);

    public void SetPeer(int module, int port, PortPeer peer) =>
        Ports.Update(ChainAbi.GlobalPort(module, port), new HoverPort
        {
            PeerKind = (uint)peer.Kind,
            Ifindex = (uint)peer.Ifindex,
            PeerModule = (uint)peer.Module,
            PeerPort = (uint)peer.Port,
        });

    public PortPeer PeerOf(int module, int port) =>
        Ports.TryLookup(ChainAbi.GlobalPort(module, port), out var p)
            ? new PortPeer((PeerKind)p.PeerKind, (int)p.Ifindex, (int)p.PeerModule, (int)p.PeerPort)
            : PortPeer.None;

    /// <summary>Makes a netdev enter the graph at module:port, first half: where its frames enter, and
    /// the netdev as an XDP redirect target. Two halves, so that a change can take back the maps when
    /// the kernel refuses the attachment.</summary>
    public void MapNetdev(int ifindex, int module, int port)
    {
        Netdevs.Link((uint)ifindex, (uint)module, (uint)port);
        TxXdp.Update((uint)ifindex, new DevmapValue { Ifindex = (uint)ifindex, ProgFd = -1 });
    }

    public void UnmapNetdev(int ifindex)
    {
        Netdevs.Unlink((uint)ifindex);
        TxXdp.Delete((uint)ifindex);
    }

    /// <summary>Second half: the entry program on the netdev, after its map entries (replacing any
    /// earlier instance, so re-linking is hitless).</summary>
    public void AttachEntry(int ifindex, HookKind hook)
    {
        var entry = Entry(hook).Program("hover_entry");
        if (hook == HookKind.Xdp)
        {
            AttachXdp(ifindex, entry);
        }
        else
        {
            TcAttachment.Attach(ifindex, TcDirection.Ingress, entry.Fd);
        }
    }

    private void AttachXdp(int ifindex, BpfProgram entry)
    {
        try
        {
            XdpAttachment.Attach(ifindex, entry.Fd, _xdpMode);
        }
        catch (BpfException) when (_xdpMode == XdpMode.Native)
        {
            XdpAttachment.Attach(ifindex, entry.Fd, XdpMode.Generic);
        }
    }

    public void UnlinkNetdev(int ifindex, HookKind hook)
    {
        DetachEntry(ifindex, hook);
        UnmapNetdev(ifindex);
    }

    public void DetachEntry(int ifindex, HookKind hook)
    {
        if (ifindex > 0 && Netdev.NameOf(ifindex) is not null)
        {
            if (hook == HookKind.Xdp)
            {
                XdpAttachment.Detach(ifindex, XdpMode.Native);
                XdpAttachment.Detach(ifindex, XdpMode.Generic);
            }
            else
            {
                TcAttachment.Detach(ifindex, TcDirection.Ingress);
            }
        }
    }

    public HoverPortStats StatsOf(int module, int port)
    {
        var total = new HoverPortStats();
        foreach (var s in Stats.LookupPerCpu(ChainAbi.GlobalPort(module, port)))
        {
            total.RxPackets += s.RxPackets;
            total.RxBytes += s.RxBytes;
            total.TxPackets += s.TxPackets;
            total.TxBytes += s.TxBytes;
            total.Drops += s.Drops;
        }
        return total;
    }

    /// <summary>Forgets every port and counter of a module slot, so a later module there starts clean.</summary>
    public void ClearModuleSlot(int module)
    {
        var zeros = new HoverPortStats[BpfMap.PossibleCpus];
        for (var port = 0; port < ChainAbi.MaxPorts; port++)
        {
            var g = ChainAbi.GlobalPort(module, port);
            Ports.Update(g, default);
            Stats.UpdatePerCpu(g, zeros);
        }
    }

    public void Dispose()
    {
        _tc.Dispose();
        _xdp.Dispose();
    }
}
