using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>
/// The switches and routers this host instantiates, as ovn-controller's local datapaths: every
/// switch with a port bound here, and what they reach through router ports and router-to-router
/// peers, less dead ends. A switch without bound ports stays only while it joins two or more
/// instantiated datapaths (a transit switch); a router stays while it touches one (it is a
/// gateway of local hosts). The rest of the deployment is counted but gets no module: nothing
/// here could deliver traffic to it.
/// </summary>
internal static class LocalDatapaths
{
    public static (HashSet<Guid> Switches, HashSet<Guid> Routers) Of(NbIndex index, IReadOnlyDictionary<string, string> bindings)
    {
        var neighbours = new Dictionary<Guid, HashSet<Guid>>();
        void Join(Guid a, Guid b)
        {
            Neighbours(neighbours, a).Add(b);
            Neighbours(neighbours, b).Add(a);
        }
        var bound = new HashSet<Guid>();
        foreach (var (portId, ls) in index.SwitchOfPort)
        {
            var lsp = index.SwitchPorts[portId];
            if (!SwitchPortKinds.IsEnabled(lsp) || SwitchPortKinds.Unsupported(lsp) is not null)
            {
                continue;
            }
            if (SwitchPortKinds.IsBindable(lsp) && bindings.ContainsKey(lsp.Name))
            {
                bound.Add(ls.Uuid);
            }
            else if (lsp.Type == SwitchPortKinds.Router && index.PeerOf(lsp) is { } peer)
            {
                Join(ls.Uuid, peer.Router.Uuid);
            }
        }
        foreach (var (portId, lr) in index.RouterOfPort)
        {
            if (index.PeerOf(index.RouterPorts[portId]) is { } peer)
            {
                Join(lr.Uuid, peer.Router.Uuid);
            }
        }

        var reached = new HashSet<Guid>(bound);
        var queue = new Queue<Guid>(bound);
        while (queue.TryDequeue(out var datapath))
        {
            foreach (var next in neighbours.GetValueOrDefault(datapath) ?? [])
            {
                if (reached.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        for (var pruned = true; pruned;)
        {
            pruned = false;
            foreach (var datapath in reached.ToList())
            {
                var degree = neighbours.GetValueOrDefault(datapath)?.Count(reached.Contains) ?? 0;
                var isSwitch = index.Switches.ContainsKey(datapath);
                if ((isSwitch && !bound.Contains(datapath) && degree < 2) || (!isSwitch && degree == 0))
                {
                    reached.Remove(datapath);
                    pruned = true;
                }
            }
        }
        return ([.. reached.Where(index.Switches.ContainsKey)], [.. reached.Where(index.Routers.ContainsKey)]);
    }

    private static HashSet<Guid> Neighbours(Dictionary<Guid, HashSet<Guid>> all, Guid datapath) =>
        all.TryGetValue(datapath, out var set) ? set : all[datapath] = [];
}
