using IoVisor.Bpf;

namespace IoVisor.IoModules.Abi;

/// <summary>
/// Where each linked netdev enters the graph. hover_netdevs (a hash) holds every linked netdev: it
/// is what the daemon lists and reconciles, and what datapaths of older versions read.
/// hover_netdev_ix (an array) holds the same entries for ifindexes below
/// <see cref="ChainAbi.NetdevIxSize"/>, where the entry program looks them up; module 0 there means
/// not linked. The hash is written first and cleared last, so the index never names a netdev the
/// hash does not, whenever the daemon stops.
/// </summary>
public sealed class NetdevMaps(BpfMap<uint, HoverNetdev> all, BpfMap<uint, HoverNetdev> index)
{
    // Few syscalls for the whole array (512 KiB).
    private const int ScanBatch = 4096;

    public void Link(uint ifindex, uint module, uint port)
    {
        var entry = new HoverNetdev { Module = module, Port = port };
        all.Update(ifindex, entry);
        if (ifindex < ChainAbi.NetdevIxSize)
        {
            index.Update(ifindex, entry);
        }
    }

    public void Unlink(uint ifindex)
    {
        // Array entries cannot be deleted, only zeroed.
        if (ifindex < ChainAbi.NetdevIxSize)
        {
            index.Update(ifindex, default);
        }
        all.Delete(ifindex);
    }

    public bool TryLookup(uint ifindex, out HoverNetdev entry) => all.TryLookup(ifindex, out entry);

    public IEnumerable<uint> Ifindexes() => all.Keys();

    /// <summary>Makes the index say what the hash says. They differ after pins of a version that had
    /// no index (the index starts empty) or a downgrade to one and back (it unlinked only in the
    /// hash). Returns how many index entries were rewritten.</summary>
    public int ReconcileIndex()
    {
        var wanted = all.Entries().Where(e => e.Key < ChainAbi.NetdevIxSize).ToDictionary(e => e.Key, e => e.Value);
        var wrong = index.LookupBatch(ScanBatch)
            .Where(e => !Same(e.Value, wanted.GetValueOrDefault(e.Key)))
            .Select(e => e.Key)
            .ToList();
        foreach (var ifindex in wrong)
        {
            index.Update(ifindex, wanted.GetValueOrDefault(ifindex));
        }
        return wrong.Count;
    }

    private static bool Same(HoverNetdev a, HoverNetdev b) => a.Module == b.Module && a.Port == b.Port;
}
