using IoVisor.OvnBridge.Matching;
using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>One translation: local datapaths first, then each local switch (bridge, bound ports
/// with their firewall and load balancer, router ports), each local router (ports, routes, NAT
/// and load balancers on its ports), and the links that join switches and routers.</summary>
internal sealed partial class TranslationRun
{
    private readonly NbIndex index;
    private readonly NbSnapshot nb;
    private readonly IReadOnlyDictionary<string, string> bindings;
    private readonly Untranslated untranslated;
    private readonly GraphBuilder graph;
    private readonly AclCompiler aclCompiler;
    private readonly AclPass aclPass;
    private readonly IAddressSets addressSets;
    private readonly FirewallEntryCache firewallEntries;

    private HashSet<Guid> localSwitches = [];
    private HashSet<Guid> localRouters = [];

    // The outermost end of each router port's chain (the router port itself, or the outside port
    // of its NAT or load balancer): what the switch side links to.
    private readonly Dictionary<Guid, string> routerPortEnds = [];
    private readonly List<(string BridgeEnd, LogicalRouterPort RouterPort, RowRef Source)> switchToRouter = [];

    /// <summary>Whether this run compiled ACLs (rather than taking the last pass whole): the compiler's
    /// pass then ends with the run.</summary>
    public bool AclsCompiled { get; private set; }

    private int boundPorts;
    private int remotePorts;
    private int firewallRules;

    public TranslationRun(NbSnapshot nb, NbIndex index, IReadOnlyDictionary<string, string> bindings, Untranslated untranslated, GraphBuilder graph,
        AclCompiler aclCompiler, AclPass aclPass, IAddressSets addressSets, FirewallEntryCache firewallEntries)
    {
        this.aclPass = aclPass;
        this.firewallEntries = firewallEntries;
        this.index = index;
        this.nb = nb;
        this.bindings = bindings;
        this.untranslated = untranslated;
        this.graph = graph;
        this.aclCompiler = aclCompiler;
        this.addressSets = addressSets;
    }

    public OvnTranslation Run((HashSet<Guid> Switches, HashSet<Guid> Routers) local, int moduleCapacity)
    {
        (localSwitches, localRouters) = local;
        var compiled = CompileAcls();
        foreach (var ls in nb.Switches.Values.Where(s => localSwitches.Contains(s.Uuid)).OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Uuid))
        {
            TranslateSwitch(ls, compiled);
        }
        foreach (var lr in nb.Routers.Values.Where(r => localRouters.Contains(r.Uuid)).OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Uuid))
        {
            TranslateRouter(lr);
        }
        LinkSwitchesToRouters();
        LinkRouterPeers();
        ReportOutsideLocalDatapaths();
        var built = graph.Build(moduleCapacity, untranslated);
        return new OvnTranslation(built, untranslated.Rows, Count(built, compiled.Count));
    }

    private void LinkSwitchesToRouters()
    {
        foreach (var (bridgeEnd, lrp, source) in switchToRouter)
        {
            if (routerPortEnds.TryGetValue(lrp.Uuid, out var routerEnd))
            {
                graph.Link(bridgeEnd, routerEnd, source);
            }
        }
    }

    private void LinkRouterPeers()
    {
        foreach (var (lrpId, end) in routerPortEnds.OrderBy(e => e.Key))
        {
            var lrp = nb.RouterPorts[lrpId];
            if (index.PeerOf(lrp) is { } peer && lrpId.CompareTo(peer.Port.Uuid) < 0 && routerPortEnds.TryGetValue(peer.Port.Uuid, out var peerEnd))
            {
                graph.Link(end, peerEnd, Refs.Of(lrp));
            }
        }
    }

    /// <summary>Load balancers and NAT rows of datapaths that get no module are still read, so
    /// that what could never be translated is reported whatever host it would apply on.</summary>
    private void ReportOutsideLocalDatapaths()
    {
        foreach (var lb in nb.LoadBalancers.Values)
        {
            _ = LoadBalancers.Services(lb, untranslated).Count();
        }
        foreach (var nat in nb.Nats.Values)
        {
            _ = NatRule(nat);
        }
    }

    private TranslationCounts Count(DesiredGraph built, int acls) => new(
        Switches: nb.Switches.Count,
        LocalSwitches: localSwitches.Count,
        Routers: nb.Routers.Count,
        LocalRouters: localRouters.Count,
        SwitchPorts: nb.SwitchPorts.Count,
        BoundPorts: boundPorts,
        RemotePorts: remotePorts,
        RouterPorts: nb.RouterPorts.Count,
        Acls: acls,
        FirewallRules: firewallRules,
        NatRules: nb.Nats.Count,
        LoadBalancers: nb.LoadBalancers.Count,
        LoadBalancerVips: nb.LoadBalancers.Values.Sum(lb => lb.Vips.Count),
        StaticRoutes: nb.StaticRoutes.Count,
        Modules: built.Modules.Count,
        Links: built.Links.Count,
        Entries: built.Entries.Count);
}
