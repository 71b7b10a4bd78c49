using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>A logical router: a router module with a port per router port (MAC and IPv4
/// networks), static routes, and on its ports the router's load balancers and, on the gateway
/// port, its NAT: router port ↔ [load balancer back, front] ↔ [NAT inside, outside] ↔ the
/// switch (or the peer router).</summary>
internal sealed partial class TranslationRun
{
    private const int RouterMaxPorts = 32;

    private sealed record RouterPortPlan(LogicalRouterPort Row, string Port, MacAddress Mac, IReadOnlyList<(Ipv4Address Address, int Length)> Networks)
    {
        public IEnumerable<Ipv4Prefix> Prefixes => Networks.Select(n => Ipv4Prefix.Of(n.Address, n.Length));
    }

    private void TranslateRouter(LogicalRouter lr)
    {
        var source = Refs.Of(lr);
        var router = graph.Reserve(GraphNames.Module(GraphNames.RouterPrefix, lr.Name.Length > 0 ? lr.Name : lr.Uuid.ToString()), source);
        foreach (var policy in lr.Policies)
        {
            untranslated.Add(Refs.Policy(policy), $"router policies are not supported (on router {lr.Name})");
        }
        var ports = RouterPorts(lr);
        graph.AddModule(router, ModuleJson.Router, new JsonObject(),
            [.. ports.Select(p => new DesiredPort(p.Port, ModuleJson.RouterPort(p.Mac, p.Networks.Select(n => $"{n.Address}/{n.Length}"))))], source);
        foreach (var (entry, entrySource) in Routes(lr, ports))
        {
            graph.Entry(router, ModuleJson.Routes, entry, entrySource);
        }
        var services = LoadBalancers.Of(lr.LoadBalancer, lr.LoadBalancerGroup, nb, untranslated);
        var nat = NatByGatewayPort(lr, ports);
        foreach (var port in ports)
        {
            var end = $"{router}:{port.Port}";
            var portSource = Refs.Of(port.Row);
            if (services.Count > 0)
            {
                var lb = graph.Reserve(GraphNames.Module(GraphNames.RouterLoadBalancerPrefix, port.Row.Name), portSource);
                graph.AddModule(lb, ModuleJson.L4lb, new JsonObject(),
                    [new DesiredPort(ModuleJson.Front, ModuleJson.Role(ModuleJson.Front)), new DesiredPort(ModuleJson.Back, ModuleJson.Role(ModuleJson.Back))], portSource);
                foreach (var (table, _, entry) in ServiceEntries(services))
                {
                    graph.Entry(lb, table, entry, portSource);
                }
                graph.Link(end, $"{lb}:{ModuleJson.Back}", portSource);
                end = $"{lb}:{ModuleJson.Front}";
            }
            if (nat.TryGetValue(port.Row.Uuid, out var rules))
            {
                end = AddNat(port, rules, end);
            }
            routerPortEnds[port.Row.Uuid] = end;
        }
    }

    /// <summary>The ports the module gets: those that lead to a datapath of this host first, then
    /// the others (so that their networks stay connected routes), up to the router's limit.</summary>
    private List<RouterPortPlan> RouterPorts(LogicalRouter lr)
    {
        var rows = lr.Ports.Select(p => nb.RouterPorts.GetValueOrDefault(p)).OfType<LogicalRouterPort>()
            .Where(p => index.RouterOfPort.TryGetValue(p.Uuid, out var owner) && owner.Uuid == lr.Uuid && p.Enabled != false)
            .OrderBy(p => LeadsHere(p) ? 0 : 1).ThenBy(p => p.Name, StringComparer.Ordinal);
        var plans = new List<RouterPortPlan>();
        foreach (var lrp in rows)
        {
            var portRef = Refs.Of(lrp);
            if (!MacAddress.TryParse(lrp.Mac, out var mac) || mac.IsMulticast || mac.Value == 0)
            {
                untranslated.Add(portRef, $"the MAC '{lrp.Mac}' is not a unicast MAC address");
                continue;
            }
            var networks = new List<(Ipv4Address Address, int Length)>();
            foreach (var network in lrp.Networks)
            {
                if (Ipv4Prefix.TryParseInterface(network, out var address, out var length, out _) && length > 0)
                {
                    networks.Add((address, length));
                }
                else
                {
                    untranslated.AddPartial(portRef, $"the network {network} is left out: only IPv4 networks are routed");
                }
            }
            if (networks.Count == 0)
            {
                untranslated.Add(portRef, "it has no IPv4 network");
                continue;
            }
            // The router refuses networks that overlap across its ports; OVN would not route them either.
            var clash = plans.SelectMany(p => p.Prefixes.Select(n => (Port: p, Network: n)))
                .FirstOrDefault(o => networks.Any(n => Ipv4Prefix.Of(n.Address, n.Length).Overlaps(o.Network)));
            if (clash.Port is not null)
            {
                untranslated.Add(portRef, $"its networks overlap {clash.Network} of port {clash.Port.Row.Name}");
                continue;
            }
            if (plans.Count == RouterMaxPorts)
            {
                untranslated.Add(portRef, $"the router {lr.Name} has its {RouterMaxPorts} ports taken");
                continue;
            }
            plans.Add(new RouterPortPlan(lrp, GraphNames.Port(lrp.Name), mac, networks));
        }
        return plans;
    }

    private bool LeadsHere(LogicalRouterPort lrp) =>
        index.PeerOf(lrp) is { } peer ? localRouters.Contains(peer.Router.Uuid) : switchToRouter.Any(s => s.RouterPort.Uuid == lrp.Uuid);

    /// <summary>Static routes: destination-based, IPv4, in the main route table; the next hop must be
    /// on one of the module's networks. One route per prefix (ECMP routes beyond the first are
    /// reported).</summary>
    private IEnumerable<(JsonObject, RowRef)> Routes(LogicalRouter lr, List<RouterPortPlan> ports)
    {
        var prefixes = new HashSet<Ipv4Prefix>();
        foreach (var route in lr.StaticRoutes.Select(r => nb.StaticRoutes.GetValueOrDefault(r)).OfType<StaticRoute>()
                     .OrderBy(r => r.IpPrefix, StringComparer.Ordinal).ThenBy(r => r.Uuid))
        {
            var routeRef = Refs.Of(route);
            if (RouteProblem(route, ports, out var prefix, out var nextHop, out var port) is { } problem)
            {
                untranslated.Add(routeRef, problem);
            }
            else if (!prefixes.Add(prefix))
            {
                untranslated.Add(routeRef, $"another route of {lr.Name} has the prefix {prefix}: one next hop per prefix (no ECMP)");
            }
            else
            {
                yield return (ModuleJson.Route(prefix, nextHop, port), routeRef);
            }
        }
    }

    private static string? RouteProblem(StaticRoute route, List<RouterPortPlan> ports, out Ipv4Prefix prefix, out Ipv4Address? nextHop, out string? port)
    {
        prefix = default;
        nextHop = null;
        port = null;
        if (route.Policy == "src-ip")
        {
            return "source-IP routes are not supported";
        }
        if (route.RouteTable.Length > 0)
        {
            return $"route tables are not supported (this route is in '{route.RouteTable}')";
        }
        if (Ipv4Prefix.TryParseInterface(route.IpPrefix, out var network, out var length, out _))
        {
            prefix = Ipv4Prefix.Of(network, length);
        }
        else if (Ipv4Address.TryParse(route.IpPrefix, out var host))
        {
            prefix = new Ipv4Prefix(host, 32);
        }
        else
        {
            return $"the prefix {route.IpPrefix} is not IPv4";
        }
        if (ports.SelectMany(p => p.Prefixes).Contains(prefix))
        {
            return $"{prefix} is a network of a router port (a connected route)";
        }
        var destination = prefix;
        if (ports.SelectMany(p => p.Networks).Any(n => destination == new Ipv4Prefix(n.Address, 32)))
        {
            return $"{prefix} is an address of a router port (a local route)";
        }
        var candidates = ports;
        if (route.OutputPort is { } output)
        {
            var plan = ports.FirstOrDefault(p => p.Row.Name == output);
            if (plan is null)
            {
                return $"the output port {output} is not a port of the router here";
            }
            port = plan.Port;
            candidates = [plan];
        }
        if (route.Nexthop.Length == 0 && port is not null)
        {
            return null;
        }
        if (!Ipv4Address.TryParse(route.Nexthop, out var hop))
        {
            return route.Nexthop == "discard" ? "discard routes are not supported" : $"the next hop {route.Nexthop} is not IPv4";
        }
        if (!candidates.SelectMany(p => p.Prefixes).Any(n => n.Contains(hop)))
        {
            return $"the next hop {hop} is on none of the router's networks";
        }
        nextHop = hop;
        return null;
    }
}
