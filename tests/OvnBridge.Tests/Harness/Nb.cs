using IoVisor.OvnBridge.Rows;
using IoVisor.OvnBridge.Translation;

namespace IoVisor.OvnBridge.Tests.Harness;

/// <summary>Builds northbound and Open_vSwitch snapshots by hand, with ovn-nbctl's defaults, for
/// translator tests. UUIDs come from names, so a snapshot built twice is the same.</summary>
internal sealed class Nb
{
    private readonly List<object> rows = [];
    private readonly List<OvsInterface> interfaces = [];

    public NbSnapshot Snapshot => NbSnapshot.FromRows(rows);

    public OvsSnapshot Ovs => OvsSnapshot.FromRows(interfaces);

    public static Guid Id(string name) => new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name)));

    public LogicalSwitch Switch(string name, params LogicalSwitchPort[] ports) =>
        Add(new LogicalSwitch(Id("ls:" + name), name, [.. ports.Select(p => p.Uuid)], [], [], [], []));

    public LogicalSwitchPort Port(string name, string addresses = "", string type = "", IReadOnlyDictionary<string, string>? options = null, string[]? portSecurity = null) =>
        Add(new LogicalSwitchPort(Id("lsp:" + name), name, type, options ?? new Dictionary<string, string>(), null, null,
            addresses.Length == 0 ? [] : [addresses], null, portSecurity ?? [], null, []));

    /// <summary>A router-type switch port leading to <paramref name="routerPort"/>.</summary>
    public LogicalSwitchPort RouterLink(string name, string routerPort) =>
        Port(name, "router", "router", new Dictionary<string, string> { ["router-port"] = routerPort });

    public LogicalRouter Router(string name, params LogicalRouterPort[] ports) =>
        Add(new LogicalRouter(Id("lr:" + name), name, [.. ports.Select(p => p.Uuid)], [], [], null, [], [], []));

    public LogicalRouterPort RouterPort(string name, string mac, params string[] networks) =>
        Add(new LogicalRouterPort(Id("lrp:" + name), name, [], null, new Dictionary<string, string>(), networks, mac, null, null));

    public StaticRoute Route(string prefix, string nexthop, string? outputPort = null) =>
        Add(new StaticRoute(Id($"route:{prefix}:{nexthop}"), "", prefix, null, nexthop, outputPort));

    public NatRow Nat(string type, string external, string logical) =>
        Add(new NatRow(Id($"nat:{type}:{external}:{logical}"), type, external, "", logical, null, null, null, null));

    public LoadBalancer Balancer(string name, string protocol, params (string Vip, string Backends)[] vips) =>
        Add(new LoadBalancer(Id("lb:" + name), name, vips.ToDictionary(v => v.Vip, v => v.Backends), protocol));

    public Acl Acl(string direction, int priority, string match, string action, string? name = null) =>
        Add(new Acl(Id($"acl:{direction}:{priority}:{match}:{action}"), name, priority, direction, match, action));

    public PortGroup Group(string name, LogicalSwitchPort[] ports, params Acl[] acls) =>
        Add(new PortGroup(Id("pg:" + name), name, [.. ports.Select(p => p.Uuid)], [.. acls.Select(a => a.Uuid)]));

    public AddressSet Addresses(string name, params string[] addresses) => Add(new AddressSet(Id("as:" + name), name, addresses));

    public void Bind(string netdev, string port) =>
        interfaces.Add(new OvsInterface(Id("iface:" + netdev), netdev, new Dictionary<string, string> { ["iface-id"] = port }));

    /// <summary>Replaces a row (found by UUID) with a changed copy.</summary>
    public T Replace<T>(T row) where T : class
    {
        var uuid = (Guid)typeof(T).GetProperty("Uuid")!.GetValue(row)!;
        rows.RemoveAll(r => r is T && (Guid)typeof(T).GetProperty("Uuid")!.GetValue(r)! == uuid);
        rows.Add(row);
        return row;
    }

    public void Remove<T>(T row) where T : class => rows.Remove(row);

    private T Add<T>(T row) where T : class
    {
        rows.Add(row);
        return row;
    }
}
