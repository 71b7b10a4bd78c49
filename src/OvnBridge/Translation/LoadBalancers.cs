using System.Globalization;
using IoVisor.IoModules;
using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

public sealed record LbBackend(Ipv4Address Address, int Port);

/// <summary>One VIP of a Load_Balancer: an l4lb service in DNAT mode.</summary>
public sealed record LbService(string Protocol, Ipv4Address Vip, int Port, IReadOnlyList<LbBackend> Backends, RowRef Source)
{
    /// <summary>The l4lb's key of the service, which its backends name.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Protocol} {Vip}:{Port}");
}

/// <summary>Reads Load_Balancer vips ("VIP:PORT" = "BACKEND:PORT,...") into services; what the l4lb
/// cannot do (IPv6, SCTP, a VIP without a port, a VIP without backends, which OVN rejects) is
/// reported per VIP.</summary>
internal static class LoadBalancers
{
    /// <summary>The services of a switch or router: its load balancers and those of its groups,
    /// each VIP once (a second balancer with the same VIP is reported).</summary>
    public static List<LbService> Of(IEnumerable<Guid> balancers, IEnumerable<Guid> groups, NbSnapshot nb, Untranslated untranslated)
    {
        var rows = balancers
            .Concat(groups.SelectMany(g => nb.LoadBalancerGroups.TryGetValue(g, out var group) ? group.LoadBalancer : []))
            .Distinct()
            .Select(uuid => nb.LoadBalancers.GetValueOrDefault(uuid))
            .OfType<LoadBalancer>()
            .OrderBy(lb => lb.Name, StringComparer.Ordinal).ThenBy(lb => lb.Uuid);
        var services = new List<LbService>();
        var keys = new Dictionary<string, LbService>(StringComparer.Ordinal);
        foreach (var lb in rows)
        {
            foreach (var service in Services(lb, untranslated))
            {
                if (keys.TryAdd(service.Key, service))
                {
                    services.Add(service);
                }
                else
                {
                    untranslated.AddPartial(service.Source, $"the VIP {service.Key} is also one of {keys[service.Key].Source}, which is used");
                }
            }
        }
        return services;
    }

    public static IEnumerable<LbService> Services(LoadBalancer lb, Untranslated untranslated)
    {
        var source = Refs.Of(lb);
        var protocol = lb.Protocol ?? "tcp";
        if (protocol is not ("tcp" or "udp"))
        {
            untranslated.Add(source, $"protocol {protocol} is not balanced (tcp and udp are)");
            yield break;
        }
        foreach (var (vip, backends) in lb.Vips.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (Parse(vip, source, backends, untranslated) is { } service)
            {
                yield return service with { Protocol = protocol };
            }
        }
    }

    private static LbService? Parse(string vip, RowRef source, string backends, Untranslated untranslated)
    {
        if (vip.StartsWith('[') || vip.Count(c => c == ':') > 1)
        {
            untranslated.AddPartial(source, $"VIP {vip}: IPv6 is not balanced");
            return null;
        }
        if (!TryEndpoint(vip, out var address, out var port))
        {
            untranslated.AddPartial(source, $"VIP {vip}: not an IPv4 address");
            return null;
        }
        if (port == 0)
        {
            untranslated.AddPartial(source, $"VIP {vip}: a VIP without a port is not balanced (the l4lb balances one port)");
            return null;
        }
        var parsed = new List<LbBackend>();
        foreach (var text in backends.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryEndpoint(text, out var backend, out var backendPort) || backendPort == 0)
            {
                untranslated.AddPartial(source, $"VIP {vip}: the backend '{text}' is not IPv4-address:port");
                return null;
            }
            parsed.Add(new LbBackend(backend, backendPort));
        }
        if (parsed.Count == 0)
        {
            untranslated.AddPartial(source, $"VIP {vip} has no backends (OVN rejects its connections; the l4lb cannot)");
            return null;
        }
        return new LbService("tcp", address, port, parsed, source);
    }

    private static bool TryEndpoint(string text, out Ipv4Address address, out int port)
    {
        port = 0;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var host = colon < 0 ? text : text[..colon];
        if (!Ipv4Address.TryParse(host, out address))
        {
            return false;
        }
        return colon < 0 || (int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535);
    }
}
