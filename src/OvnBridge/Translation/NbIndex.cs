using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>The lookups a translation needs over the switch, router, port group and address set
/// tables of a <see cref="NbSnapshot"/>: who owns each port, ports by name, port group membership.
/// Rows that break OVN's own rules (a name used twice, a port in two switches) are reported and
/// the later ones (by UUID) left out. It serves the next snapshots as long as those tables are
/// the same instances (a change of ACLs, NAT or load balancers only).</summary>
internal sealed class NbIndex
{
    public NbIndex(NbSnapshot nb)
    {
        Switches = nb.Switches;
        SwitchPorts = nb.SwitchPorts;
        Routers = nb.Routers;
        RouterPorts = nb.RouterPorts;
        portGroups = nb.PortGroups;
        addressSets = nb.AddressSets;
        var untranslated = Problems;
        foreach (var ls in Switches.Values.OrderBy(s => s.Uuid))
        {
            foreach (var port in ls.Ports)
            {
                if (!SwitchPorts.TryGetValue(port, out var lsp))
                {
                    continue;
                }
                if (!SwitchOfPort.TryAdd(port, ls))
                {
                    untranslated.Add(Refs.Of(lsp), $"it is a port of two switches; kept on {SwitchOfPort[port].Name}");
                }
                else if (!SwitchPortsByName.TryAdd(lsp.Name, lsp))
                {
                    untranslated.Add(Refs.Of(lsp), "another logical switch port has the same name");
                }
            }
        }
        foreach (var lr in Routers.Values.OrderBy(r => r.Uuid))
        {
            foreach (var port in lr.Ports)
            {
                if (!RouterPorts.TryGetValue(port, out var lrp))
                {
                    continue;
                }
                if (!RouterOfPort.TryAdd(port, lr))
                {
                    untranslated.Add(Refs.Of(lrp), $"it is a port of two routers; kept on {RouterOfPort[port].Name}");
                }
                else if (!RouterPortsByName.TryAdd(lrp.Name, lrp))
                {
                    untranslated.Add(Refs.Of(lrp), "another logical router port has the same name");
                }
            }
        }
        foreach (var pg in portGroups.Values.OrderBy(g => g.Uuid))
        {
            if (!PortGroupsByName.TryAdd(pg.Name, pg))
            {
                untranslated.Add(Refs.Of(pg), "another port group has the same name");
                continue;
            }
            foreach (var member in pg.Ports)
            {
                if (SwitchPorts.TryGetValue(member, out var lsp))
                {
                    GroupsOf(lsp.Name).Add(pg.Name);
                    if (SwitchOfPort.TryGetValue(member, out var ls))
                    {
                        SwitchesOf(pg).Add(ls.Uuid);
                    }
                }
            }
        }
        foreach (var set in addressSets.Values.OrderBy(s => s.Uuid))
        {
            if (!AddressSetsByName.TryAdd(set.Name, set))
            {
                untranslated.Add(Refs.Of(set), "another address set has the same name");
            }
        }
    }

    private readonly IReadOnlyDictionary<Guid, PortGroup> portGroups;
    private readonly IReadOnlyDictionary<Guid, AddressSet> addressSets;

    public IReadOnlyDictionary<Guid, LogicalSwitch> Switches { get; }

    public IReadOnlyDictionary<Guid, LogicalSwitchPort> SwitchPorts { get; }

    public IReadOnlyDictionary<Guid, LogicalRouter> Routers { get; }

    public IReadOnlyDictionary<Guid, LogicalRouterPort> RouterPorts { get; }

    /// <summary>The rows this index left out, and why.</summary>
    public Untranslated Problems { get; } = new();

    /// <summary>Whether the index holds for <paramref name="nb"/> as it does for the snapshot it was built on.</summary>
    public bool Serves(NbSnapshot nb) =>
        ReferenceEquals(nb.Switches, Switches) && ReferenceEquals(SwitchPorts, SwitchPorts) && ReferenceEquals(nb.Routers, Routers)
        && ReferenceEquals(RouterPorts, RouterPorts) && ReferenceEquals(nb.PortGroups, portGroups) && ReferenceEquals(nb.AddressSets, addressSets);

    public Dictionary<Guid, LogicalSwitch> SwitchOfPort { get; } = [];

    public Dictionary<Guid, LogicalRouter> RouterOfPort { get; } = [];

    public Dictionary<string, LogicalSwitchPort> SwitchPortsByName { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, LogicalRouterPort> RouterPortsByName { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, PortGroup> PortGroupsByName { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AddressSet> AddressSetsByName { get; } = new(StringComparer.Ordinal);

    /// <summary>Port group names by member port name.</summary>
    public Dictionary<string, HashSet<string>> GroupsOfPort { get; } = new(StringComparer.Ordinal);

    /// <summary>The switches each port group has members on: its ACLs apply there (ovn-nb(5)).</summary>
    public Dictionary<Guid, HashSet<Guid>> SwitchesOfGroup { get; } = [];

    public IReadOnlySet<string> GroupsOf(LogicalSwitchPort port) =>
        GroupsOfPort.TryGetValue(port.Name, out var groups) ? groups : EmptyGroups;

    private static readonly HashSet<string> EmptyGroups = [];

    private HashSet<string> GroupsOf(string port) =>
        GroupsOfPort.TryGetValue(port, out var groups) ? groups : GroupsOfPort[port] = new HashSet<string>(StringComparer.Ordinal);

    private HashSet<Guid> SwitchesOf(PortGroup pg) =>
        SwitchesOfGroup.TryGetValue(pg.Uuid, out var switches) ? switches : SwitchesOfGroup[pg.Uuid] = [];

    /// <summary>The router a router-type switch port leads to, through options:router-port.</summary>
    public (LogicalRouterPort Port, LogicalRouter Router)? PeerOf(LogicalSwitchPort lsp) =>
        lsp.Options.TryGetValue("router-port", out var name) && RouterPortsByName.TryGetValue(name, out var lrp)
        && RouterOfPort.TryGetValue(lrp.Uuid, out var lr)
            ? (lrp, lr)
            : null;

    /// <summary>The router port on the other end of a router-to-router link (both name each other in peer).</summary>
    public (LogicalRouterPort Port, LogicalRouter Router)? PeerOf(LogicalRouterPort lrp) =>
        lrp.Peer is { } name && RouterPortsByName.TryGetValue(name, out var peer) && peer.Peer == lrp.Name
        && RouterOfPort.TryGetValue(peer.Uuid, out var lr)
            ? (peer, lr)
            : null;
}
