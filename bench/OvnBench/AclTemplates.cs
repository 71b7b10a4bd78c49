using System.Globalization;

namespace IoVisor.OvnBench;

/// <summary>The ACLs each generated switch gets: a mix of what OpenStack and Kubernetes write
/// (services by port, ranges, an address set, subnets, ICMP, a default drop).</summary>
internal static class AclTemplates
{
    private static readonly (string Direction, int Priority, string Match, string Action)[] Templates =
    [
        ("to-lport", 2000, "ip4 && tcp.dst == 22 && ip4.src == $mgmt", "allow-related"),
        ("to-lport", 1900, "ip4 && tcp.dst == {80, 443}", "allow-related"),
        ("to-lport", 1800, "ip4 && udp.dst == 53", "allow"),
        ("to-lport", 1700, "icmp4 && icmp4.type == 8", "allow-related"),
        ("to-lport", 1600, "ip4 && tcp.dst >= 8000 && tcp.dst <= 8100", "allow-related"),
        ("from-lport", 1500, "ip4 && ip4.dst == 10.%low.0.0/16", "allow-related"),
        ("from-lport", 1400, "ip4 && udp", "allow"),
        ("to-lport", 1300, "ip4.src == 192.168.%high.0/24", "drop"),
        ("from-lport", 1200, "ip4 && tcp", "allow-related"),
        ("to-lport", 1000, "ip4", "drop"),
    ];

    public static int Count => Templates.Length;

    public static (string Direction, int Priority, string Match, string Action) For(int switchIndex, int acl)
    {
        var (direction, priority, match, action) = Templates[acl];
        match = match.Replace("%low", (switchIndex % 256).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%high", (switchIndex / 256).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return (direction, priority, match, action);
    }
}
