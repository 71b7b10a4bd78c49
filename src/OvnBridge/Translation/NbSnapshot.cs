using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>The northbound rows a translation reads, by UUID, as of one server transaction.</summary>
public sealed record NbSnapshot(
    IReadOnlyDictionary<Guid, LogicalSwitch> Switches,
    IReadOnlyDictionary<Guid, LogicalSwitchPort> SwitchPorts,
    IReadOnlyDictionary<Guid, LogicalRouter> Routers,
    IReadOnlyDictionary<Guid, LogicalRouterPort> RouterPorts,
    IReadOnlyDictionary<Guid, StaticRoute> StaticRoutes,
    IReadOnlyDictionary<Guid, NatRow> Nats,
    IReadOnlyDictionary<Guid, LoadBalancer> LoadBalancers,
    IReadOnlyDictionary<Guid, LoadBalancerGroup> LoadBalancerGroups,
    IReadOnlyDictionary<Guid, Acl> Acls,
    IReadOnlyDictionary<Guid, PortGroup> PortGroups,
    IReadOnlyDictionary<Guid, AddressSet> AddressSets)
{
    /// <summary>A snapshot of hand-made rows (tests, tools), sorted into tables by type.</summary>
    public static NbSnapshot FromRows(IEnumerable<object> rows)
    {
        var all = rows.ToList();
        return new NbSnapshot(
            Table<LogicalSwitch>(all, r => r.Uuid),
            Table<LogicalSwitchPort>(all, r => r.Uuid),
            Table<LogicalRouter>(all, r => r.Uuid),
            Table<LogicalRouterPort>(all, r => r.Uuid),
            Table<StaticRoute>(all, r => r.Uuid),
            Table<NatRow>(all, r => r.Uuid),
            Table<LoadBalancer>(all, r => r.Uuid),
            Table<LoadBalancerGroup>(all, r => r.Uuid),
            Table<Acl>(all, r => r.Uuid),
            Table<PortGroup>(all, r => r.Uuid),
            Table<AddressSet>(all, r => r.Uuid));
    }

    private static Dictionary<Guid, T> Table<T>(List<object> rows, Func<T, Guid> uuid) => rows.OfType<T>().ToDictionary(uuid);
}
