using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>
/// NAT rows become rules of a NAT module on the router's gateway port, which is, in this order:
/// the row's gateway_port; the router port whose network holds the external IP; the router's
/// only port with gateway_chassis, ha_chassis_group or options:redirect-chassis. The module's
/// outside port takes the gateway port's address on that network (what masquerading uses) and
/// answers ARP for external addresses with the gateway port's MAC.
/// </summary>
internal sealed partial class TranslationRun
{
    private Dictionary<Guid, List<(JsonObject Rule, RowRef Source)>> NatByGatewayPort(LogicalRouter lr, List<RouterPortPlan> ports)
    {
        var byPort = new Dictionary<Guid, List<(JsonObject, RowRef)>>();
        foreach (var nat in lr.Nat.Select(n => nb.Nats.GetValueOrDefault(n)).OfType<NatRow>().OrderBy(n => n.Uuid))
        {
            if (NatRule(nat) is not { } rule)
            {
                continue;
            }
            if (GatewayPort(nat, ports) is not { } gateway)
            {
                untranslated.Add(Refs.Of(nat), $"no gateway port: no port of {lr.Name} here is its gateway_port, has a network holding {nat.ExternalIp}, or is the only one with a gateway chassis");
                continue;
            }
            (byPort.TryGetValue(gateway.Row.Uuid, out var rules) ? rules : byPort[gateway.Row.Uuid] = []).Add((rule, Refs.Of(nat)));
        }
        return byPort;
    }

    private static RouterPortPlan? GatewayPort(NatRow nat, List<RouterPortPlan> ports)
    {
        if (nat.GatewayPort is { } explicitPort)
        {
            return ports.FirstOrDefault(p => p.Row.Uuid == explicitPort);
        }
        if (Ipv4Address.TryParse(nat.ExternalIp, out var external) && ports.FirstOrDefault(p => p.Prefixes.Any(n => n.Contains(external))) is { } holding)
        {
            return holding;
        }
        var gateways = ports.Where(p => p.Row.GatewayChassis.Count > 0 || p.Row.HaChassisGroup is not null || p.Row.Options.ContainsKey("redirect-chassis")).ToList();
        return gateways.Count == 1 ? gateways[0] : null;
    }

    /// <summary>The NAT module's rule for a row, or null (reported) when it has none.</summary>
    private JsonObject? NatRule(NatRow nat)
    {
        var source = Refs.Of(nat);
        if (nat.AllowedExtIps is not null || nat.ExemptedExtIps is not null)
        {
            untranslated.Add(source, "allowed_ext_ips and exempted_ext_ips are not supported");
            return null;
        }
        if (!Ipv4Address.TryParse(nat.ExternalIp, out _))
        {
            untranslated.Add(source, $"the external IP {nat.ExternalIp} is not an IPv4 address");
            return null;
        }
        var logicalIsHost = Ipv4Address.TryParse(nat.LogicalIp, out _);
        var logicalIsNetwork = Ipv4Prefix.TryParseInterface(nat.LogicalIp, out _, out _, out _);
        if (!logicalIsHost && !logicalIsNetwork)
        {
            untranslated.Add(source, $"the logical IP {nat.LogicalIp} is not IPv4");
            return null;
        }
        if (nat.Type != "snat" && !logicalIsHost)
        {
            untranslated.Add(source, $"a {nat.Type} rule translates to one address, not {nat.LogicalIp}");
            return null;
        }
        var rule = new JsonObject { ["type"] = nat.Type, ["externalIp"] = nat.ExternalIp, ["logicalIp"] = NetworkOf(nat.LogicalIp) };
        if (nat.Type == "snat" && nat.ExternalPortRange.Length > 0)
        {
            rule["externalPortRange"] = nat.ExternalPortRange;
        }
        return nat.Type is "snat" or "dnat" or "dnat_and_snat" ? rule : null;
    }

    // OVN takes 10.0.0.5/24 as the network 10.0.0.0/24.
    private static string NetworkOf(string logicalIp) =>
        Ipv4Prefix.TryParseInterface(logicalIp, out var address, out var length, out _) ? Ipv4Prefix.Of(address, length).ToString() : logicalIp;

    private string AddNat(RouterPortPlan gateway, List<(JsonObject Rule, RowRef Source)> rules, string end)
    {
        var source = Refs.Of(gateway.Row);
        var nat = graph.Reserve(GraphNames.Module(GraphNames.NatPrefix, gateway.Row.Name), source);
        var external = rules.Select(r => Ipv4Address.TryParse((string?)r.Rule["externalIp"], out var a) ? a : default).First();
        var address = gateway.Networks.FirstOrDefault(n => Ipv4Prefix.Of(n.Address, n.Length).Contains(external), gateway.Networks[0]).Address;
        graph.AddModule(nat, ModuleJson.Nat, ModuleJson.NatConfig(gateway.Mac),
            [new DesiredPort(ModuleJson.Inside, ModuleJson.Role(ModuleJson.Inside)), new DesiredPort(ModuleJson.Outside, ModuleJson.NatOutside(address))], source);
        foreach (var (rule, ruleSource) in rules)
        {
            graph.Entry(nat, ModuleJson.NatRules, rule, ruleSource);
        }
        graph.Link(end, $"{nat}:{ModuleJson.Inside}", source);
        return $"{nat}:{ModuleJson.Outside}";
    }
}
