using System.Text.Json.Nodes;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Router;

/// <summary>The router's routes over REST, keyed by prefix (10.1.0.0/16). Connected routes (the
/// networks of the port addresses) and local ones (each address as a /32) follow the ports and are
/// read-only here; static routes name a next hop on a connected network, an output port (on link),
/// or both.</summary>
internal sealed class RouteTable(BpfMap<RouterRouteKey, RouterRoute> map, RouterDatapath router, IModulePorts ports) : IModuleTable
{
    public IReadOnlyList<JsonObject> List() => map.Entries()
        .OrderByDescending(e => e.Key.Prefixlen)
        .ThenBy(e => RouterDatapath.PrefixOf(e.Key).Network.Value)
        .Select(e => ToJson(e.Key, e.Value))
        .ToList();

    public JsonObject? Get(string key)
    {
        var k = RouterDatapath.KeyOf(ParseKey(key));
        return map.TryLookup(k, out var route) ? ToJson(k, route) : null;
    }

    public JsonObject Put(string? key, JsonObject entry)
    {
        var reader = new ConfigReader(entry, new ConfigErrors());
        reader.RejectUnknown("key", "prefix", "nextHop", "port", "type", "active");
        var prefixText = reader.Text("prefix", key);
        var nextHopText = reader.Text("nextHop", null);
        var portName = reader.Text("port", null);
        if (reader.Text("type", "static") != "static")
        {
            reader.Errors.Add("type", "only static routes can be written; connected and local ones follow the port addresses");
        }
        Ipv4Prefix prefix = default;
        if (prefixText is null)
        {
            reader.Errors.Add("prefix", "required");
        }
        else if (!Ipv4Prefix.TryParse(prefixText, out prefix, out var error))
        {
            reader.Errors.Add("prefix", error!);
        }
        else if (key is not null && (!Ipv4Prefix.TryParse(key, out var keyPrefix, out _) || keyPrefix != prefix))
        {
            reader.Errors.Add("key", "does not match the prefix of the entry");
        }

        int? port = null;
        if (portName is not null && (port = ports.IndexOf(portName)) is null)
        {
            reader.Errors.Add("port", $"the router has no port '{portName}'");
        }
        Ipv4Address nextHop = default;
        if (nextHopText is not null)
        {
            if (!Ipv4Address.TryParse(nextHopText, out nextHop) || nextHop.IsZero || nextHop.IsMulticastOrBroadcast)
            {
                reader.Errors.Add("nextHop", "must be a unicast IPv4 address like 10.0.0.254");
            }
            else if (router.IsLocal(nextHop))
            {
                reader.Errors.Add("nextHop", "is an address of this router");
            }
            else if (router.PortFor(nextHop) is not { } reach)
            {
                reader.Errors.Add("nextHop", "is on no connected network of the router");
            }
            else if (port is { } given && given != reach)
            {
                reader.Errors.Add("port", $"the next hop is reached through port '{ports.NameOf(reach)}'");
            }
            else
            {
                port = reach;
            }
        }
        else if (portName is null)
        {
            reader.Errors.Add("nextHop", "a route needs a next hop, a port, or both");
        }
        if (!reader.Errors.Any && map.TryLookup(RouterDatapath.KeyOf(prefix), out var existing))
        {
            if ((existing.Flags & RouterAbi.RouteLocal) != 0)
            {
                reader.Errors.Add("prefix", $"{prefix} is an address of port '{ports.NameOf((int)existing.Port)}' (a local route)");
            }
            else if ((existing.Flags & RouterAbi.RouteConnected) != 0)
            {
                reader.Errors.Add("prefix", $"{prefix} is a connected network of port '{ports.NameOf((int)existing.Port)}'");
            }
        }
        reader.Errors.ThrowIfAny();

        var k = RouterDatapath.KeyOf(prefix);
        var value = new RouterRoute { Port = (uint)port!.Value, Nexthop = nextHop.ToKernel(), Flags = RouterAbi.RouteStatic };
        map.Update(k, value);
        return ToJson(k, value);
    }

    public bool Delete(string key)
    {
        var k = RouterDatapath.KeyOf(ParseKey(key));
        if (!map.TryLookup(k, out var route))
        {
            return false;
        }
        if ((route.Flags & (RouterAbi.RouteConnected | RouterAbi.RouteLocal)) != 0)
        {
            throw new ConfigException("key", $"a {TypeOf(route)} route follows the port's addresses; change the port instead");
        }
        return map.Delete(k);
    }

    public int Flush()
    {
        var statics = map.Entries().Where(e => (e.Value.Flags & RouterAbi.RouteStatic) != 0).Select(e => e.Key).ToList();
        return statics.Count(k => map.Delete(k));
    }

    /// <summary>A port's /32 address is connected and local in one entry; shown as what it is for
    /// packets: the router's own address.</summary>
    private static string TypeOf(RouterRoute route) =>
        (route.Flags & RouterAbi.RouteLocal) != 0 ? "local"
        : (route.Flags & RouterAbi.RouteConnected) != 0 ? "connected"
        : "static";

    private static Ipv4Prefix ParseKey(string key) =>
        Ipv4Prefix.TryParse(key, out var prefix, out var error) ? prefix : throw new ConfigException("key", error!);

    private JsonObject ToJson(RouterRouteKey key, RouterRoute route)
    {
        var prefix = RouterDatapath.PrefixOf(key).ToString();
        var json = new JsonObject
        {
            ["key"] = prefix,
            ["prefix"] = prefix,
            ["type"] = TypeOf(route),
            ["port"] = route.Port == RouterAbi.PortNone ? null : ports.NameOf((int)route.Port),
            ["active"] = route.Port != RouterAbi.PortNone,
        };
        if (route.Nexthop != 0)
        {
            json["nextHop"] = Ipv4Address.FromKernel(route.Nexthop).ToString();
        }
        return json;
    }
}
