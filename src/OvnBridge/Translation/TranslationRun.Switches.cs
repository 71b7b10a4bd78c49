using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.OvnBridge.Matching;
using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>A logical switch: a bridge whose ports are the switch ports that lead somewhere on this
/// host. A bound port's chain runs bridge port ↔ [load balancer back, front] ↔ [firewall outside,
/// inside] ↔ netdev: the firewall sits at the workload, so from-lport ACLs see what it sent (before
/// balancing, as in OVN) and to-lport ACLs what it receives.</summary>
internal sealed partial class TranslationRun
{
    private sealed record PortChainModule(string Name, string Type, JsonObject Config, IReadOnlyList<DesiredPort> Ports, RowRef Source, IReadOnlyList<(string Table, string? Key, JsonObject Entry)> Entries);

    private void TranslateSwitch(LogicalSwitch ls, IReadOnlyDictionary<Guid, CompiledAcl> compiled)
    {
        var source = Refs.Of(ls);
        var bridge = graph.Reserve(GraphNames.Module(GraphNames.SwitchPrefix, ls.Name.Length > 0 ? ls.Name : ls.Uuid.ToString()), source);
        foreach (var qos in ls.QosRules)
        {
            untranslated.Add(Refs.Qos(qos), $"QoS rules are not supported (on switch {ls.Name})");
        }
        var services = LoadBalancers.Of(ls.LoadBalancer, ls.LoadBalancerGroup, nb, untranslated);
        var acls = ApplicableAcls(ls, compiled);
        var stateful = acls.Any(a => a.Row.Action == AclActions.AllowRelated);

        var ports = new List<DesiredPort>();
        var links = new List<(string From, string To, RowRef Source)>();
        var chainModules = new List<PortChainModule>();
        var fdb = new List<(JsonObject Entry, RowRef Source)>();
        var macs = new Dictionary<MacAddress, string>();
        foreach (var lsp in ls.Ports.Select(p => nb.SwitchPorts.GetValueOrDefault(p)).OfType<LogicalSwitchPort>()
                     .Where(p => index.SwitchOfPort.TryGetValue(p.Uuid, out var owner) && owner.Uuid == ls.Uuid)
                     .OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var portRef = Refs.Of(lsp);
            if (SwitchPortKinds.Unsupported(lsp) is { } reason)
            {
                untranslated.Add(portRef, reason);
                continue;
            }
            if (!SwitchPortKinds.IsEnabled(lsp))
            {
                continue;
            }
            var addresses = PortAddresses.Of(lsp);
            foreach (var bad in addresses.Invalid)
            {
                untranslated.AddPartial(portRef, $"the address '{bad}' is not 'MAC [IP...]'");
            }
            var port = GraphNames.Port(lsp.Name);
            string? netdev = null;
            LogicalRouterPort? routerPort = null;
            if (lsp.Type == SwitchPortKinds.Router)
            {
                if (index.PeerOf(lsp) is not { } peer)
                {
                    untranslated.Add(portRef, $"options:router-port ({lsp.Options.GetValueOrDefault("router-port") ?? "unset"}) names no logical router port");
                    continue;
                }
                if (!localRouters.Contains(peer.Router.Uuid))
                {
                    continue;
                }
                routerPort = peer.Port;
            }
            else if (!bindings.TryGetValue(lsp.Name, out netdev))
            {
                remotePorts++;
                continue;
            }
            if (ports.Count == BridgeMaxPorts)
            {
                untranslated.Add(portRef, $"the bridge of switch {ls.Name} has its {BridgeMaxPorts} ports taken");
                continue;
            }
            ports.Add(new DesiredPort(port, ModuleJson.AccessPort()));
            AddFdb(lsp, addresses, routerPort, port, macs, fdb);
            var end = $"{bridge}:{port}";
            if (routerPort is not null)
            {
                switchToRouter.Add((end, routerPort, portRef));
                continue;
            }
            boundPorts++;
            if (lsp.PortSecurity.Count > 0)
            {
                untranslated.AddPartial(portRef, "port_security is not enforced: the bridge has no source check (its static FDB entries do keep the port's MACs from moving)");
            }
            end = AddPortChain(lsp, end, services, acls, stateful, chainModules, links);
            links.Add((end, $"netdev:{netdev}", portRef));
        }

        graph.AddModule(bridge, ModuleJson.Bridge, ModuleJson.BridgeConfig(), ports, source);
        foreach (var (entry, entrySource) in fdb)
        {
            graph.Entry(bridge, ModuleJson.FdbTable, entry, entrySource);
        }
        foreach (var module in chainModules)
        {
            graph.AddModule(module.Name, module.Type, module.Config, module.Ports, module.Source);
            foreach (var (table, key, entry) in module.Entries)
            {
                graph.Entry(module.Name, table, entry, module.Source, key);
            }
        }
        foreach (var (from, to, linkSource) in links)
        {
            graph.Link(from, to, linkSource);
        }
    }

    private const int BridgeMaxPorts = 32;

    /// <summary>Static FDB entries: the port's MACs, or for a router port its router port's MAC.
    /// A MAC another port of the switch already has is reported.</summary>
    private void AddFdb(LogicalSwitchPort lsp, PortAddresses addresses, LogicalRouterPort? routerPort, string port,
        Dictionary<MacAddress, string> macs, List<(JsonObject, RowRef)> fdb)
    {
        var wanted = addresses.Bindings.Select(b => b.Mac).ToList();
        if (addresses.Router && routerPort is not null && MacAddress.TryParse(routerPort.Mac, out var routerMac))
        {
            wanted.Add(routerMac);
        }
        foreach (var mac in wanted.Distinct())
        {
            if (macs.TryAdd(mac, lsp.Name))
            {
                fdb.Add((ModuleJson.Fdb(mac, port), Refs.Of(lsp)));
            }
            else if (macs[mac] != lsp.Name)
            {
                untranslated.AddPartial(Refs.Of(lsp), $"the MAC {mac} is also the address of port {macs[mac]}, which keeps it");
            }
        }
    }

    /// <summary>The modules between a bound port's bridge port and its netdev; returns the end the
    /// netdev links to.</summary>
    private string AddPortChain(LogicalSwitchPort lsp, string end, IReadOnlyList<LbService> services, IReadOnlyList<(Acl Row, CompiledAcl Compiled)> acls,
        bool stateful, List<PortChainModule> modules, List<(string, string, RowRef)> links)
    {
        var source = Refs.Of(lsp);
        if (services.Count > 0)
        {
            var lb = graph.Reserve(GraphNames.Module(GraphNames.SwitchLoadBalancerPrefix, lsp.Name), source);
            modules.Add(new PortChainModule(lb, ModuleJson.L4lb, ModuleJson.PortStatefulConfig(),
                [new DesiredPort(ModuleJson.Front, ModuleJson.Role(ModuleJson.Front)), new DesiredPort(ModuleJson.Back, ModuleJson.Role(ModuleJson.Back))],
                source, ServiceEntries(services)));
            links.Add((end, $"{lb}:{ModuleJson.Back}", source));
            end = $"{lb}:{ModuleJson.Front}";
        }
        if (acls.Count > 0)
        {
            var fw = graph.Reserve(GraphNames.Module(GraphNames.FirewallPrefix, lsp.Name), source);
            var rules = firewallEntries.Get(lsp.Name, acls, stateful, index.GroupsOf(lsp), () => FirewallEntries(lsp, acls, stateful));
            firewallRules += rules.Count;
            modules.Add(new PortChainModule(fw, ModuleJson.Firewall, ModuleJson.PortFirewallConfig(rules.Count),
                [new DesiredPort(ModuleJson.Inside, ModuleJson.Role(ModuleJson.Inside)), new DesiredPort(ModuleJson.Outside, ModuleJson.Role(ModuleJson.Outside))],
                source, rules));
            links.Add((end, $"{fw}:{ModuleJson.Outside}", source));
            end = $"{fw}:{ModuleJson.Inside}";
        }
        return end;
    }

    /// <summary>Services first: the backends name them.</summary>
    private static List<(string, string?, JsonObject)> ServiceEntries(IReadOnlyList<LbService> services) =>
    [
        .. services.Select(s => (ModuleJson.Services, (string?)null, ModuleJson.Service(s))),
        .. services.SelectMany(s => s.Backends.Select(b => (ModuleJson.Backends, (string?)null, ModuleJson.Backend(s, b)))),
    ];
}
