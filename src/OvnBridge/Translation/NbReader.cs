using IoVisor.Ovsdb;
using IoVisor.Ovsdb.Caching;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>Reads <see cref="NbSnapshot"/>s out of the northbound client's cache, remapping only
/// the rows that changed since the last read. One reader per client; not thread-safe.</summary>
public sealed class NbReader
{
    private readonly TypedRowCache<LogicalSwitch> switches = new();
    private readonly TypedRowCache<LogicalSwitchPort> switchPorts = new();
    private readonly TypedRowCache<LogicalRouter> routers = new();
    private readonly TypedRowCache<LogicalRouterPort> routerPorts = new();
    private readonly TypedRowCache<StaticRoute> staticRoutes = new();
    private readonly TypedRowCache<NatRow> nats = new();
    private readonly TypedRowCache<LoadBalancer> loadBalancers = new();
    private readonly TypedRowCache<LoadBalancerGroup> loadBalancerGroups = new();
    private readonly TypedRowCache<Acl> acls = new();
    private readonly TypedRowCache<PortGroup> portGroups = new();
    private readonly TypedRowCache<AddressSet> addressSets = new();

    /// <summary>Registers the tables and columns the translation reads.</summary>
    public static void Monitor(OvsdbClient client)
    {
        client.Monitor<LogicalSwitch>();
        client.Monitor<LogicalSwitchPort>();
        client.Monitor<LogicalRouter>();
        client.Monitor<LogicalRouterPort>();
        client.Monitor<StaticRoute>();
        client.Monitor<NatRow>();
        client.Monitor<LoadBalancer>();
        client.Monitor<LoadBalancerGroup>();
        client.Monitor<Acl>();
        client.Monitor<PortGroup>();
        client.Monitor<AddressSet>();
        client.Monitor<NbGlobal>();
    }

    public NbSnapshot Read(CacheSnapshot snapshot) => new(
        switches.Map(snapshot),
        switchPorts.Map(snapshot),
        routers.Map(snapshot),
        routerPorts.Map(snapshot),
        staticRoutes.Map(snapshot),
        nats.Map(snapshot),
        loadBalancers.Map(snapshot),
        loadBalancerGroups.Map(snapshot),
        acls.Map(snapshot),
        portGroups.Map(snapshot),
        addressSets.Map(snapshot));
}
