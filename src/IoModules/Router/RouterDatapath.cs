using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Router;

/// <summary>
/// Writes a router's ports into its maps: the port MAC, its addresses (router_local, for ARP, and
/// as local /32 routes, for forwarding) and their networks as connected routes. The kernel route
/// table is the truth for next-hop resolution, so re-applying the same ports after a restart
/// rewrites nothing that traffic depends on.
/// </summary>
internal sealed class RouterDatapath : IModuleDatapath
{
    private readonly ModuleObject _module;
    private readonly BpfMap<uint, RouterPort> _portMap;
    private readonly BpfMap<uint, RouterLocal> _local;
    private readonly BpfMap<RouterRouteKey, RouterRoute> _routes;
    private readonly BpfMap<uint, RouterNeigh> _neigh;
    private readonly RouteTable _routeTable;
    private readonly ArpTable _arpTable;
    private readonly RouterSlowPath _slowPath;
    private volatile RouterConfig _config = RouterConfig.Default;
    private ImmutableDictionary<int, RouterPortConfig> _ports = ImmutableDictionary<int, RouterPortConfig>.Empty;

    public RouterDatapath(ModuleObject module)
    {
        _module = module;
        _portMap = new BpfMap<uint, RouterPort>(module.Map("router_ports"));
        _local = new BpfMap<uint, RouterLocal>(module.Map("router_local"));
        _routes = new BpfMap<RouterRouteKey, RouterRoute>(module.Map("router_routes"));
        _neigh = new BpfMap<uint, RouterNeigh>(module.Map("router_neigh"));
        _routeTable = new RouteTable(_routes, this, module.Ports);
        _arpTable = new ArpTable(_neigh, this, module.Ports);
        _slowPath = new RouterSlowPath(this);
    }

    public RouterConfig Config => _config;

    /// <summary>The ports as last applied; read by the slow-path thread.</summary>
    public ImmutableDictionary<int, RouterPortConfig> Ports => Volatile.Read(ref _ports);

    public IModuleSlowPath SlowPath => _slowPath;

    public void ApplyConfig(JsonObject config) => _config = RouterConfig.Parse(config);

    public void ApplyPort(int index, JsonObject config)
    {
        var port = RouterPortConfig.Parse(config);
        Validate(index, port);
        _portMap.Update((uint)index, port.ToKernel());

        var owned = OwnedRoutes(port);
        foreach (var (key, _) in RoutesOf(index).ToList())
        {
            if (!owned.ContainsKey(PrefixOf(key)))
            {
                _routes.Delete(key);
            }
        }
        // Written even when present: pins from a version without local routes get them here.
        foreach (var (prefix, flags) in owned)
        {
            _routes.Update(KeyOf(prefix), new RouterRoute { Port = (uint)index, Flags = flags });
        }

        var addresses = port.Addresses.Select(a => a.Address.ToKernel()).ToHashSet();
        foreach (var (address, local) in _local.Entries().ToList())
        {
            if (local.Port == index && !addresses.Contains(address))
            {
                _local.Delete(address);
            }
        }
        foreach (var address in addresses)
        {
            _local.Update(address, new RouterLocal { Port = (uint)index });
        }

        ImmutableInterlocked.Update(ref _ports, p => p.SetItem(index, port));
        ResolveStaticRoutes();
    }

    public void RemovePort(int index)
    {
        ImmutableInterlocked.Update(ref _ports, p => p.Remove(index));
        _portMap.Update((uint)index, default);
        foreach (var (key, _) in RoutesOf(index).ToList())
        {
            _routes.Delete(key);
        }
        foreach (var (address, local) in _local.Entries().ToList())
        {
            if (local.Port == index)
            {
                _local.Delete(address);
            }
        }
        _arpTable.ForgetLearnedOn(index);
        ResolveStaticRoutes();
    }

    public void PeerChanged(int index, PortPeer previous, PortPeer current)
    {
    }

    public IModuleTable Table(string name) => name switch
    {
        "routes" => _routeTable,
        "arp" => _arpTable,
        _ => throw new KeyNotFoundException($"router has no table '{name}'"),
    };

    public void Maintain() => _arpTable.RemoveAged(_config.ArpAgingSeconds);

    /// <summary>The port whose connected network holds <paramref name="nextHop"/>, as the kernel has them.</summary>
    internal int? PortFor(Ipv4Address nextHop) =>
        ConnectedRoutes().Where(r => PrefixOf(r.Key).Contains(nextHop)).Select(r => (int?)(int)r.Value.Port).FirstOrDefault();

    internal bool IsLocal(Ipv4Address address) => _local.TryLookup(address.ToKernel(), out _);

    internal static RouterRouteKey KeyOf(Ipv4Prefix prefix) => new() { Prefixlen = (uint)prefix.Length, Addr = prefix.Network.ToKernel() };

    internal static Ipv4Prefix PrefixOf(RouterRouteKey key) => new(Ipv4Address.FromKernel(key.Addr), (int)key.Prefixlen);

    /// <summary>Static routes through a next hop follow the connected networks: each points at the
    /// port that reaches its next hop now, or at none (unreachable) while no port does.</summary>
    private void ResolveStaticRoutes()
    {
        foreach (var (key, route) in _routes.Entries().ToList())
        {
            if ((route.Flags & RouterAbi.RouteStatic) == 0 || route.Nexthop == 0)
            {
                continue;
            }
            var port = PortFor(Ipv4Address.FromKernel(route.Nexthop)) is { } p ? (uint)p : RouterAbi.PortNone;
            if (port != route.Port)
            {
                _routes.Update(key, route with { Port = port });
            }
        }
    }

    private IEnumerable<KeyValuePair<RouterRouteKey, RouterRoute>> ConnectedRoutes() =>
        _routes.Entries().Where(r => (r.Value.Flags & RouterAbi.RouteConnected) != 0);

    /// <summary>The routes the addresses of port <paramref name="index"/> made: connected and local.</summary>
    private IEnumerable<KeyValuePair<RouterRouteKey, RouterRoute>> RoutesOf(int index) =>
        _routes.Entries().Where(r => r.Value.Port == index && (r.Value.Flags & (RouterAbi.RouteConnected | RouterAbi.RouteLocal)) != 0);

    /// <summary>The routes a port's addresses make, by prefix: each network a connected route, each
    /// address a local one; an address of length 32 is both in one entry.</summary>
    private static Dictionary<Ipv4Prefix, uint> OwnedRoutes(RouterPortConfig port)
    {
        var routes = new Dictionary<Ipv4Prefix, uint>();
        foreach (var a in port.Addresses)
        {
            routes[a.Network] = routes.GetValueOrDefault(a.Network) | RouterAbi.RouteConnected;
            routes[a.Host] = routes.GetValueOrDefault(a.Host) | RouterAbi.RouteLocal;
        }
        return routes;
    }

    private void Validate(int index, RouterPortConfig port)
    {
        var errors = new ConfigErrors("config");
        for (var i = 0; i < port.Addresses.Count; i++)
        {
            var a = port.Addresses[i];
            foreach (var (otherIndex, other) in Ports.Where(p => p.Key != index))
            {
                if (other.Addresses.FirstOrDefault(o => o.Network.Overlaps(a.Network)) is { Length: > 0 } clash)
                {
                    errors.Add($"addresses[{i}]", $"overlaps {clash} of port '{_module.Ports.NameOf(otherIndex) ?? otherIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)}'");
                }
            }
            if (_routes.TryLookup(KeyOf(a.Network), out var existing) && (existing.Flags & RouterAbi.RouteStatic) != 0)
            {
                errors.Add($"addresses[{i}]", $"a static route for {a.Network} exists; delete it first");
            }
            else if (_routes.TryLookup(KeyOf(a.Host), out var atHost) && (atHost.Flags & RouterAbi.RouteStatic) != 0)
            {
                errors.Add($"addresses[{i}]", $"a static route for {a.Host} exists (the address's local route would replace it); delete it first");
            }
        }
        errors.ThrowIfAny();
    }
}
