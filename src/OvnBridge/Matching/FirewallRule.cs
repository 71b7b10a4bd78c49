using IoVisor.IoModules;

namespace IoVisor.OvnBridge.Matching;

/// <summary>Which way a rule looks at traffic, from the protected port's side: OVN's from-lport
/// ACLs see what the port sends (egress), to-lport ACLs what it receives (ingress).</summary>
public enum RuleDirection
{
    Ingress,
    Egress,
}

/// <summary>The connection states a rule admits: a packet is in exactly one (the firewall's
/// states; OVN's ct.new, ct.est, ct.rel, ct.inv).</summary>
[Flags]
public enum CtStates
{
    None = 0,
    New = 1,
    Established = 2,
    Related = 4,
    Invalid = 8,
    All = New | Established | Related | Invalid,
}

/// <summary>One firewall rule from one conjunction of an ACL's match; null fields match anything.</summary>
public sealed record FirewallRule(
    int Priority,
    RuleDirection Direction,
    string Action,
    Ipv4Prefix? Source,
    Ipv4Prefix? Destination,
    string? Protocol,
    (int Low, int High)? SourcePort,
    (int Low, int High)? DestinationPort,
    int? IcmpType,
    int? IcmpCode,
    CtStates States);
