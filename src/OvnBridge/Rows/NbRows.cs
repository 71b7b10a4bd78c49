using IoVisor.Ovsdb.Typed;

namespace IoVisor.OvnBridge.Rows;

// The OVN northbound rows the bridge translates, with only the columns it reads (ovn-nb(5)).

[OvsdbTable("Logical_Switch")]
public sealed record LogicalSwitch(
    Guid Uuid,
    string Name,
    IReadOnlyList<Guid> Ports,
    IReadOnlyList<Guid> Acls,
    IReadOnlyList<Guid> LoadBalancer,
    IReadOnlyList<Guid> LoadBalancerGroup,
    IReadOnlyList<Guid> QosRules);

[OvsdbTable("Logical_Switch_Port")]
public sealed record LogicalSwitchPort(
    Guid Uuid,
    string Name,
    string Type,
    IReadOnlyDictionary<string, string> Options,
    string? ParentName,
    long? Tag,
    IReadOnlyList<string> Addresses,
    string? DynamicAddresses,
    IReadOnlyList<string> PortSecurity,
    bool? Enabled,
    IReadOnlyList<Guid> Dhcpv4Options);

[OvsdbTable("Logical_Router")]
public sealed record LogicalRouter(
    Guid Uuid,
    string Name,
    IReadOnlyList<Guid> Ports,
    IReadOnlyList<Guid> StaticRoutes,
    IReadOnlyList<Guid> Policies,
    bool? Enabled,
    IReadOnlyList<Guid> Nat,
    IReadOnlyList<Guid> LoadBalancer,
    IReadOnlyList<Guid> LoadBalancerGroup);

[OvsdbTable("Logical_Router_Port")]
public sealed record LogicalRouterPort(
    Guid Uuid,
    string Name,
    IReadOnlyList<Guid> GatewayChassis,
    Guid? HaChassisGroup,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyList<string> Networks,
    string Mac,
    string? Peer,
    bool? Enabled);

[OvsdbTable("Logical_Router_Static_Route")]
public sealed record StaticRoute(
    Guid Uuid,
    string RouteTable,
    string IpPrefix,
    string? Policy,
    string Nexthop,
    string? OutputPort);

[OvsdbTable("NAT")]
public sealed record NatRow(
    Guid Uuid,
    string Type,
    string ExternalIp,
    string ExternalPortRange,
    string LogicalIp,
    string? LogicalPort,
    Guid? AllowedExtIps,
    Guid? ExemptedExtIps,
    Guid? GatewayPort);

[OvsdbTable("Load_Balancer")]
public sealed record LoadBalancer(
    Guid Uuid,
    string Name,
    IReadOnlyDictionary<string, string> Vips,
    string? Protocol);

[OvsdbTable("Load_Balancer_Group")]
public sealed record LoadBalancerGroup(Guid Uuid, string Name, IReadOnlyList<Guid> LoadBalancer);

[OvsdbTable("ACL")]
public sealed record Acl(
    Guid Uuid,
    string? Name,
    long Priority,
    string Direction,
    string Match,
    string Action);

[OvsdbTable("Port_Group")]
public sealed record PortGroup(Guid Uuid, string Name, IReadOnlyList<Guid> Ports, IReadOnlyList<Guid> Acls);

[OvsdbTable("Address_Set")]
public sealed record AddressSet(Guid Uuid, string Name, IReadOnlyList<string> Addresses);

[OvsdbTable("NB_Global")]
public sealed record NbGlobal(Guid Uuid, long NbCfg);
