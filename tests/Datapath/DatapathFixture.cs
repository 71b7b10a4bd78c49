using IoVisor.Bpf;
using IoVisor.IoModules.Abi;
using IoVisor.IoModules.Bridge;
using IoVisor.IoModules.Router;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// The datapath of both hooks: entry.&lt;hook&gt;.o, then bridge.&lt;hook&gt;.o and router.&lt;hook&gt;.o
/// sharing its hover_* maps, the bridge's hover_rx in the hook's program array at module index 1, the
/// router's at 2.
/// </summary>
public sealed class DatapathFixture() : HookPair<HookDatapath>("dp", (hook, root) => new HookDatapath(hook, root));

/// <summary>One hook's loaded datapath: entry + bridge + router, and typed views of their maps.</summary>
public sealed class HookDatapath : IDisposable
{
    public const uint BridgeModule = 1;
    public const string BridgeName = "br";
    public const uint RouterModule = 2;
    public const string RouterName = "rt";

    /// <summary>Fake ifindex of bridge port p (hover_ports / hover_netdevs / hover_tx_xdp key).</summary>
    public static uint IfindexOf(int port) => EntryUnderTest.IfindexOf(BridgeModule, port);

    private readonly EntryUnderTest _entry;
    private readonly ModuleUnderTest _bridge;
    private readonly ModuleUnderTest _router;

    public HookDatapath(string hook, string root)
    {
        _entry = new EntryUnderTest(hook, root);
        try
        {
            _bridge = new ModuleUnderTest(_entry, "bridge", BridgeName, BridgeModule);
            _router = new ModuleUnderTest(_entry, "router", RouterName, RouterModule);
        }
        catch
        {
            Dispose();
            throw;
        }

        Fdb = new BpfMap<BridgeFdbKey, BridgeFdbEntry>(_bridge.Map("bridge_fdb"));
        Config = new BpfMap<uint, BridgeConfig>(_bridge.Map("bridge_cfg"));
        BridgePorts = new BpfMap<uint, BridgePort>(_bridge.Map("bridge_ports"));
        RouterPorts = new BpfMap<uint, RouterPort>(_router.Map("router_ports"));
        RouterLocal = new BpfMap<uint, RouterLocal>(_router.Map("router_local"));
        RouterRoutes = new BpfMap<RouterRouteKey, RouterRoute>(_router.Map("router_routes"));
        RouterNeigh = new BpfMap<uint, RouterNeigh>(_router.Map("router_neigh"));
    }

    public bool IsXdp => _entry.IsXdp;

    public BpfMap<uint, HoverPort> Ports => _entry.Ports;

    public NetdevMaps Netdevs => _entry.Netdevs;

    public BpfMap<uint, DevmapValue>? TxXdp => _entry.TxXdp;

    public BpfMap<BridgeFdbKey, BridgeFdbEntry> Fdb { get; }

    public BpfMap<uint, BridgeConfig> Config { get; }

    public BpfMap<uint, BridgePort> BridgePorts { get; }

    /// <summary>router_ports: port → {mac, enabled}.</summary>
    public BpfMap<uint, RouterPort> RouterPorts { get; }

    /// <summary>router_local: address (network order in the uint's bytes) → port.</summary>
    public BpfMap<uint, RouterLocal> RouterLocal { get; }

    public BpfMap<RouterRouteKey, RouterRoute> RouterRoutes { get; }

    /// <summary>router_neigh: address (network order in the uint's bytes) → neighbour.</summary>
    public BpfMap<uint, RouterNeigh> RouterNeigh { get; }

    public uint Drop => _entry.Drop;

    public uint Pass => _entry.Pass;

    public uint Redirect => _entry.Redirect;

    /// <summary>Empties every table the tests touch: a test starts from a bridge with no ports.</summary>
    public void Reset(ulong agingNs = 0)
    {
        Fdb.Clear();
        _entry.ClearNetdevs();
        TxXdp?.Clear();
        Config.Update(0, new BridgeConfig { AgingNs = agingNs });
        for (int p = 0; p < ChainAbi.MaxPorts; p++)
        {
            BridgePorts.Update((uint)p, default);
            _entry.ClearPort(BridgeModule, p);
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
        _bridge.LinkNetdev(port);
    }

    /// <inheritdoc cref="EntryUnderTest.LinkNetdev"/>
    public void LinkNetdev(uint module, int port, bool inDevmap = true) => _entry.LinkNetdev(module, port, inDevmap);

    /// <summary>Empties the router's tables, its hover_ports / hover_stats slots, hover_netdevs,
    /// the devmap and the punt ring: a test starts from a router with no ports.</summary>
    public void ResetRouter()
    {
        RouterLocal.Clear();
        RouterRoutes.Clear();
        RouterNeigh.Clear();
        _entry.ClearNetdevs();
        TxXdp?.Clear();
        for (int p = 0; p < ChainAbi.MaxPorts; p++)
        {
            RouterPorts.Update((uint)p, default);
            _entry.ClearPort(RouterModule, p);
        }

        TakePunts();
    }

    /// <summary>Every punt record written since the last call (the ring is drained).</summary>
    public IReadOnlyList<PuntOutcome> TakePunts() => [.. _entry.TakePunts().Select(record => PuntOutcome.Parse(record))];

    /// <summary>Runs the bridge's hover_rx as if the framework had entered module 1 on <paramref name="port"/>
    /// (see <see cref="ModuleUnderTest.Run"/>).</summary>
    public RunOutcome RunBridge(int port, byte[] frame) => _bridge.Run(port, frame);

    /// <summary>Runs the router's hover_rx as if the framework had entered module 2 on <paramref name="port"/>.</summary>
    public RunOutcome RunRouter(int port, byte[] frame) => _router.Run(port, frame);

    /// <summary>The kernel's mean run time per packet of the router's hover_rx entered on
    /// <paramref name="port"/> (see <see cref="EntryUnderTest.Time"/>); a forwarded frame loses one TTL
    /// per repetition.</summary>
    public (uint Verdict, double NsPerPacket) TimeRouter(int port, byte[] frame, uint repeat, int runs) =>
        _router.Time(port, frame, repeat, runs);

    /// <inheritdoc cref="EntryUnderTest.RunEntry"/>
    public RunOutcome RunEntry(byte[] frame) => _entry.RunEntry(frame);

    /// <summary>hover_stats of bridge port <paramref name="port"/>, summed over CPUs.</summary>
    public HoverPortStats StatsOf(int port) => _bridge.StatsOf(port);

    /// <summary>hover_stats of port <paramref name="port"/> of <paramref name="module"/>, summed over CPUs.</summary>
    public HoverPortStats StatsOf(uint module, int port) => _entry.StatsOf(module, port);

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
        _router?.Dispose();
        _bridge?.Dispose();
        _entry.Dispose();
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
