namespace IoVisor.OvnBridge.Model;

/// <summary>What a translation found in the databases and what it made of it.</summary>
/// <param name="Switches">Logical switches in the northbound database.</param>
/// <param name="LocalSwitches">Switches instantiated on this host (README: local datapaths).</param>
/// <param name="Routers">Logical routers in the northbound database.</param>
/// <param name="LocalRouters">Routers instantiated on this host.</param>
/// <param name="SwitchPorts">Logical switch ports, of every type.</param>
/// <param name="BoundPorts">Switch ports bound to a local netdev through external_ids:iface-id.</param>
/// <param name="RemotePorts">Ports of local switches bound nowhere here: translated, no module port.</param>
/// <param name="RouterPorts">Logical router ports.</param>
/// <param name="Acls">ACLs of switches and port groups.</param>
/// <param name="FirewallRules">Rules written to firewall modules, over all ports.</param>
/// <param name="NatRules">NAT rows.</param>
/// <param name="LoadBalancers">Load_Balancer rows.</param>
/// <param name="LoadBalancerVips">Their VIPs.</param>
/// <param name="StaticRoutes">Logical_Router_Static_Route rows.</param>
/// <param name="Modules">Modules of the graph.</param>
/// <param name="Links">Links of the graph.</param>
/// <param name="Entries">Table entries of the graph.</param>
public sealed record TranslationCounts(
    int Switches,
    int LocalSwitches,
    int Routers,
    int LocalRouters,
    int SwitchPorts,
    int BoundPorts,
    int RemotePorts,
    int RouterPorts,
    int Acls,
    int FirewallRules,
    int NatRules,
    int LoadBalancers,
    int LoadBalancerVips,
    int StaticRoutes,
    int Modules,
    int Links,
    int Entries);
