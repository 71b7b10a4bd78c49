using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>Row references for each table the translation reads.</summary>
internal static class Refs
{
    public static RowRef Of(LogicalSwitch r) => new("Logical_Switch", r.Uuid, r.Name);

    public static RowRef Of(LogicalSwitchPort r) => new("Logical_Switch_Port", r.Uuid, r.Name);

    public static RowRef Of(LogicalRouter r) => new("Logical_Router", r.Uuid, r.Name);

    public static RowRef Of(LogicalRouterPort r) => new("Logical_Router_Port", r.Uuid, r.Name);

    public static RowRef Of(StaticRoute r) => new("Logical_Router_Static_Route", r.Uuid, r.IpPrefix);

    public static RowRef Of(NatRow r) => new("NAT", r.Uuid, $"{r.Type} {r.ExternalIp} {r.LogicalIp}");

    public static RowRef Of(LoadBalancer r) => new("Load_Balancer", r.Uuid, r.Name);

    public static RowRef Of(Acl r) => new("ACL", r.Uuid, r.Name is { Length: > 0 } name ? name : $"{r.Direction} {r.Priority} {r.Match}");

    public static RowRef Of(PortGroup r) => new("Port_Group", r.Uuid, r.Name);

    public static RowRef Of(AddressSet r) => new("Address_Set", r.Uuid, r.Name);

    public static RowRef Of(OvsInterface r) => new("Interface", r.Uuid, r.Name);

    public static RowRef Policy(Guid uuid) => new("Logical_Router_Policy", uuid, null);

    public static RowRef Qos(Guid uuid) => new("QoS", uuid, null);
}
