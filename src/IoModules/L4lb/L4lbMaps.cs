using IoVisor.Bpf;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.L4lb;

/// <summary>A load balancer's maps, typed, with the writes the control plane makes to them.</summary>
internal sealed class L4lbMaps
{
    public L4lbMaps(ModuleObject module)
    {
        Config = new BpfMap<uint, LbConfig>(module.Map("lb_cfg"));
        Services = new BpfMap<LbServiceKey, LbService>(module.Map("lb_services"));
        Maglev = new BpfMap<uint, uint>(module.Map("lb_maglev"));
        Backends = new BpfMap<uint, LbBackend>(module.Map("lb_backends"));
        Stats = new BpfMap<uint, LbServiceStats>(module.Map("lb_stats"));
        Connections = new BpfMap<CtKey, CtEntry>(module.Map("lb_ct"));
        Replies = new BpfMap<CtKey, CtKey>(module.Map("lb_ct_reply"));
        Timeouts = new BpfMap<uint, CtTimeouts>(module.Map("lb_ct_cfg"));
    }

    public BpfMap<uint, LbConfig> Config { get; }

    public BpfMap<LbServiceKey, LbService> Services { get; }

    public BpfMap<uint, uint> Maglev { get; }

    public BpfMap<uint, LbBackend> Backends { get; }

    public BpfMap<uint, LbServiceStats> Stats { get; }

    public BpfMap<CtKey, CtEntry> Connections { get; }

    public BpfMap<CtKey, CtKey> Replies { get; }

    public BpfMap<uint, CtTimeouts> Timeouts { get; }

    /// <summary>Writes the slots of service <paramref name="index"/>'s table that differ from
    /// <paramref name="written"/> (all of them when it is null or of another size); returns how
    /// many were written.</summary>
    public int WriteTable(uint index, uint[] table, uint[]? written)
    {
        var keys = new List<uint>();
        var values = new List<uint>();
        var whole = written is null || written.Length != table.Length;
        for (var slot = 0; slot < table.Length; slot++)
        {
            if (whole || written![slot] != table[slot])
            {
                keys.Add(index * L4lbAbi.MaglevStride + (uint)slot);
                values.Add(table[slot]);
            }
        }
        if (keys.Count > 0)
        {
            Maglev.UpdateBatch(keys.ToArray(), values.ToArray());
        }
        return keys.Count;
    }

    public unsafe void WriteBackend(uint id, BackendSpec spec, uint service)
    {
        var value = new LbBackend { Addr = spec.Address.ToKernel(), Port = ServiceKey.Network(spec.Port), Service = service };
        spec.Mac?.CopyTo(new Span<byte>(value.Mac, 6));
        Backends.Update(id, value);
    }

    public void ClearBackend(uint id) => Backends.Update(id, default);

    public void WriteService(ServiceSpec spec, uint index, int tableSize) =>
        Services.Update(spec.Key.ToKernel(), new LbService { Index = index, TableSize = (uint)tableSize, Mode = (uint)spec.Mode });

    public void ZeroStats(uint index) => Stats.UpdatePerCpu(index, new LbServiceStats[BpfMap.PossibleCpus]);

    public LbServiceStats StatsOf(uint index)
    {
        var sum = default(LbServiceStats);
        foreach (var s in Stats.LookupPerCpu(index))
        {
            sum.Packets += s.Packets;
            sum.Bytes += s.Bytes;
            sum.Flows += s.Flows;
            sum.NoBackend += s.NoBackend;
        }
        return sum;
    }
}
