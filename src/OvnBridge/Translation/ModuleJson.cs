using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.OvnBridge.Matching;

namespace IoVisor.OvnBridge.Translation;

/// <summary>The configs, ports and table entries of the module types the translation emits, in
/// the shapes their REST API takes (README: Bridge, Router, NAT, L4 load balancer, Firewall).</summary>
internal static class ModuleJson
{
    public const string Bridge = "bridge";
    public const string Router = "router";
    public const string Nat = "nat";
    public const string L4lb = "l4lb";
    public const string Firewall = "firewall";

    public const string FdbTable = "fdb";
    public const string Routes = "routes";
    public const string NatRules = "rules";
    public const string Services = "services";
    public const string Backends = "backends";
    public const string FirewallRules = "rules";

    /// <summary>Bump-in-the-wire port names: the side towards the protected workload or the
    /// router, and the side towards the rest.</summary>
    public const string Inside = "inside";
    public const string Outside = "outside";
    public const string Front = "front";
    public const string Back = "back";

    /// <summary>Every OVN switch port is an untagged access port of VLAN 1.</summary>
    public const int Vlan = 1;

    public static JsonObject BridgeConfig() => new() { ["agingSeconds"] = 300 };

    /// <summary>A port's firewall or load balancer tracks one workload's connections: tables of 16,384
    /// (about 4 MiB, preallocated by the kernel) rather than the default 262,144 (about 70 MiB), which
    /// hundreds of bound ports could not afford.</summary>
    public static JsonObject PortStatefulConfig() => new() { ["conntrack"] = new JsonObject { ["maxEntries"] = PortConnections } };

    public const int PortConnections = 16_384;

    /// <summary>A port's firewall: connection tables as <see cref="PortStatefulConfig"/>, and room for
    /// its rules in powers of two from 256 (the default, 16,384, costs ~20 ms of per-CPU allocations
    /// per firewall when it is made). Steps keep an ACL change from changing the size, which reloads
    /// the firewall with empty connection tables.</summary>
    public static JsonObject PortFirewallConfig(int rules)
    {
        var config = PortStatefulConfig();
        config["maxRules"] = Math.Min((int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(rules, MinPortRules)), MaxPortRules);
        return config;
    }

    private const int MinPortRules = 256, MaxPortRules = 16_384;

    public static JsonObject AccessPort() => new() { ["mode"] = "access", ["vlan"] = Vlan };

    public static JsonObject Fdb(MacAddress mac, string port) => new() { ["mac"] = mac.ToString(), ["vlan"] = Vlan, ["port"] = port };

    public static JsonObject RouterPort(MacAddress mac, IEnumerable<string> addresses) =>
        new() { ["mac"] = mac.ToString(), ["addresses"] = new JsonArray([.. addresses.Select(a => (JsonNode)a)]) };

    public static JsonObject Route(Ipv4Prefix prefix, Ipv4Address? nextHop, string? port)
    {
        var route = new JsonObject { ["prefix"] = prefix.ToString() };
        if (nextHop is { } hop)
        {
            route["nextHop"] = hop.ToString();
        }
        if (port is not null)
        {
            route["port"] = port;
        }
        return route;
    }

    public static JsonObject NatConfig(MacAddress externalMac) => new() { ["externalMac"] = externalMac.ToString() };

    public static JsonObject Role(string role) => new() { ["role"] = role };

    public static JsonObject NatOutside(Ipv4Address address) => new() { ["role"] = Outside, ["address"] = address.ToString() };

    public static JsonObject Service(LbService service) => new()
    {
        ["vip"] = service.Vip.ToString(),
        ["port"] = service.Port,
        ["protocol"] = service.Protocol,
        ["mode"] = "dnat",
    };

    public static JsonObject Backend(LbService service, LbBackend backend) => new()
    {
        ["service"] = service.Key,
        ["address"] = backend.Address.ToString(),
        ["port"] = backend.Port,
    };

    /// <summary>A firewall rule entry.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="statefulSwitch">Whether the switch has allow-related ACLs (a plain allow is then tracked).</param>
    /// <param name="key">The rule's id in the firewall's table: stable, so a rule that did not
    /// change is recognized as the same.</param>
    /// <param name="name">The ACL's name, if it has one.</param>
    public static JsonObject FirewallRule(FirewallRule rule, bool statefulSwitch, string key, string? name)
    {
        var json = new JsonObject
        {
            ["key"] = key,
            ["priority"] = rule.Priority,
            ["direction"] = rule.Direction == RuleDirection.Ingress ? "ingress" : "egress",
            ["action"] = AclActions.ToFirewall(rule.Action, statefulSwitch),
        };
        if (name is not null)
        {
            json["name"] = name;
        }
        if (rule.Source is { } src)
        {
            json["src"] = src.ToString();
        }
        if (rule.Destination is { } dst)
        {
            json["dst"] = dst.ToString();
        }
        if (rule.Protocol is { } protocol)
        {
            json["protocol"] = protocol;
        }
        if (rule.SourcePort is { } sport)
        {
            json["sport"] = Range(sport);
        }
        if (rule.DestinationPort is { } dport)
        {
            json["dport"] = Range(dport);
        }
        if (rule.IcmpType is { } type)
        {
            json["icmpType"] = type;
        }
        if (rule.IcmpCode is { } code)
        {
            json["icmpCode"] = code;
        }
        if (rule.States is not (CtStates.All or CtStates.None))
        {
            json["ctState"] = new JsonArray([.. CtNames.Where(n => rule.States.HasFlag(n.State)).Select(n => (JsonNode)n.Name)]);
        }
        return json;
    }

    /// <summary>On a switch with stateful ACLs OVN commits every connection no ACL decides (its
    /// default allow is tracked), so that replies pass whatever the ACLs of the other direction say:
    /// lowest-priority allow-related rules both ways do the same.</summary>
    public static IEnumerable<JsonObject> StatefulDefaults() =>
    [
        new JsonObject { ["key"] = "default-egress", ["priority"] = 0, ["direction"] = "egress", ["action"] = AclActions.AllowRelated },
        new JsonObject { ["key"] = "default-ingress", ["priority"] = 0, ["direction"] = "ingress", ["action"] = AclActions.AllowRelated },
    ];

    private static string Range((int Low, int High) range) => range.Low == range.High
        ? range.Low.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{range.Low}-{range.High}");

    private static readonly (CtStates State, string Name)[] CtNames =
    [
        (CtStates.New, "new"), (CtStates.Established, "established"), (CtStates.Related, "related"), (CtStates.Invalid, "invalid"),
    ];
}
