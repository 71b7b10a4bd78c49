using IoVisor.OvnBridge.Rows;
using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Tests.Harness;
using IoVisor.OvnBridge.Translation;

namespace IoVisor.OvnBridge.Tests.Unit;

public sealed class TranslatorTests
{
    private readonly Nb nb = new();

    [Fact]
    public void A_bound_port_is_a_bridge_port_linked_to_its_netdev_with_static_fdb_entries()
    {
        nb.Switch("ls1", nb.Port("vm1", "02:00:00:00:00:01 10.0.0.1"), nb.Port("vm2", "02:00:00:00:00:02 10.0.0.2"), nb.Port("vm3", "unknown"));
        nb.Bind("tap1", "vm1");
        nb.Bind("tap3", "vm3");

        var t = Translate();
        var bridge = t.Graph.Module("ls-ls1");
        Assert.Equal(("bridge", "tc"), (bridge.Type, bridge.Hook));
        Assert.Equal(["vm1", "vm3"], bridge.Ports.Select(p => p.Name));
        Assert.Equal("""{"mode":"access","vlan":1}""", bridge.Ports[0].Config.ToJsonString());
        Assert.True(t.Graph.Links("ls-ls1:vm1", "netdev:tap1"));
        var fdb = Assert.Single(t.Graph.EntriesOf("ls-ls1", "fdb"));
        Assert.Equal("""{"mac":"02:00:00:00:00:01","vlan":1,"port":"vm1"}""", fdb.ToJsonString());
        Assert.Equal((2, 1, 1), (t.Counts.BoundPorts, t.Counts.RemotePorts, t.Counts.LocalSwitches));
        Assert.Empty(t.Untranslated);
    }

    [Fact]
    public void Only_local_datapaths_get_modules_and_a_transit_switch_between_two_routers_stays()
    {
        // ls-a (bound) - lr1 - join (no ports of its own) - lr2 - ls-b (bound); ls-c hangs off lr1 with nothing bound.
        nb.Switch("ls-a", nb.Port("a1", "02:00:00:00:00:0a"), nb.RouterLink("a-lr1", "lr1-a"));
        nb.Switch("join", nb.RouterLink("join-lr1", "lr1-join"), nb.RouterLink("join-lr2", "lr2-join"));
        nb.Switch("ls-b", nb.Port("b1"), nb.RouterLink("b-lr2", "lr2-b"));
        nb.Switch("ls-c", nb.Port("c1"), nb.RouterLink("c-lr1", "lr1-c"));
        nb.Switch("island", nb.Port("i1"));
        nb.Router("lr1", nb.RouterPort("lr1-a", "02:00:00:00:01:01", "10.0.1.1/24"), nb.RouterPort("lr1-join", "02:00:00:00:01:02", "100.64.0.1/24"),
            nb.RouterPort("lr1-c", "02:00:00:00:01:03", "10.0.3.1/24"));
        nb.Router("lr2", nb.RouterPort("lr2-join", "02:00:00:00:02:01", "100.64.0.2/24"), nb.RouterPort("lr2-b", "02:00:00:00:02:02", "10.0.2.1/24"));
        nb.Bind("tap-a", "a1");
        nb.Bind("tap-b", "b1");

        var g = Translate().Graph;
        Assert.Equal(["join", "ls-a", "ls-b"], g.Modules.Where(m => m.Type == "bridge").Select(m => m.Name[3..]));
        Assert.True(g.Links("ls-join:join-lr1", "lr-lr1:lr1-join"));
        Assert.True(g.Links("ls-join:join-lr2", "lr-lr2:lr2-join"));
        // lr1-c stays a port (its network a connected route), with nothing on it.
        Assert.Equal(["lr1-a", "lr1-join", "lr1-c"], g.Module("lr-lr1").Ports.Select(p => p.Name));
        Assert.DoesNotContain(g.Links, l => l.From.StartsWith("lr-lr1:lr1-c", StringComparison.Ordinal) || l.To.StartsWith("lr-lr1:lr1-c", StringComparison.Ordinal));
        Assert.Contains(g.EntriesOf("ls-ls-a", "fdb"), e => (string?)e["mac"] == "02:00:00:00:01:01" && (string?)e["port"] == "a-lr1");
    }

    [Fact]
    public void Router_ports_carry_mac_and_networks_and_static_routes_need_a_reachable_next_hop()
    {
        nb.Switch("ls1", nb.Port("vm1"), nb.RouterLink("ls1-lr1", "lrp1"));
        var router = nb.Router("lr1", nb.RouterPort("lrp1", "02:00:00:00:aa:01", "10.0.1.1/24", "fd00::1/64"));
        var good = nb.Route("0.0.0.0/0", "10.0.1.254");
        var offNet = nb.Route("192.168.0.0/16", "172.16.0.1");
        var own = nb.Route("10.0.1.1/32", "10.0.1.254");
        var source = nb.Route("10.9.0.0/16", "10.0.1.9") with { Policy = "src-ip" };
        nb.Replace(source);
        nb.Replace(router with { StaticRoutes = [good.Uuid, offNet.Uuid, own.Uuid, source.Uuid] });
        nb.Bind("tap1", "vm1");

        var t = Translate();
        Assert.Equal("""{"mac":"02:00:00:00:aa:01","addresses":["10.0.1.1/24"]}""", t.Graph.Module("lr-lr1").Ports[0].Config.ToJsonString());
        Assert.Equal("""{"prefix":"0.0.0.0/0","nextHop":"10.0.1.254"}""", Assert.Single(t.Graph.EntriesOf("lr-lr1", "routes")).ToJsonString());
        Assert.Contains(t.Untranslated, u => u.Uuid == offNet.Uuid && u.Reason.Contains("on none of the router's networks", StringComparison.Ordinal));
        Assert.Contains(t.Untranslated, u => u.Uuid == own.Uuid && u.Reason.Contains("an address of a router port", StringComparison.Ordinal));
        Assert.Contains(t.Untranslated, u => u.Uuid == source.Uuid && u.Reason.Contains("source-IP", StringComparison.Ordinal));
        Assert.Contains(t.Untranslated, u => u.Table == "Logical_Router_Port" && u.Partial && u.Reason.Contains("fd00::1/64", StringComparison.Ordinal));
    }

    [Fact]
    public void What_the_router_would_refuse_is_left_out_before_it_gets_there()
    {
        nb.Switch("ls1", nb.Port("vm1"), nb.RouterLink("ls1-lr1", "lrp1"));
        var router = nb.Router("lr1", nb.RouterPort("lrp1", "02:00:00:00:aa:01", "10.0.1.1/24"), nb.RouterPort("lrp2", "02:00:00:00:aa:02", "10.0.0.1/16"));
        var connected = nb.Route("10.0.1.0/24", "10.0.1.254");
        nb.Replace(router with { StaticRoutes = [connected.Uuid] });
        nb.Bind("tap1", "vm1");

        var t = Translate();
        Assert.Equal(["lrp1"], t.Graph.Module("lr-lr1").Ports.Select(p => p.Name));
        Assert.Contains(t.Untranslated, u => u.Name == "lrp2" && u.Reason == "its networks overlap 10.0.1.0/24 of port lrp1");
        Assert.Contains(t.Untranslated, u => u.Uuid == connected.Uuid && u.Reason.Contains("connected route", StringComparison.Ordinal));
    }

    [Fact]
    public void Router_ports_that_peer_each_other_are_linked()
    {
        nb.Switch("ls1", nb.Port("vm1"), nb.RouterLink("ls1-lr1", "lr1-ls1"));
        nb.Switch("ls2", nb.Port("vm2"), nb.RouterLink("ls2-lr2", "lr2-ls2"));
        var a = nb.RouterPort("lr1-lr2", "02:00:00:00:01:02", "169.254.0.1/30") with { Peer = "lr2-lr1" };
        var b = nb.RouterPort("lr2-lr1", "02:00:00:00:02:01", "169.254.0.2/30") with { Peer = "lr1-lr2" };
        nb.Replace(a);
        nb.Replace(b);
        nb.Router("lr1", nb.RouterPort("lr1-ls1", "02:00:00:00:01:01", "10.0.1.1/24"), a);
        nb.Router("lr2", nb.RouterPort("lr2-ls2", "02:00:00:00:02:02", "10.0.2.1/24"), b);
        nb.Bind("tap1", "vm1");
        nb.Bind("tap2", "vm2");

        var g = Translate().Graph;
        Assert.True(g.Links("lr-lr1:lr1-lr2", "lr-lr2:lr2-lr1"));
        Assert.Single(g.Links, l => l.From.StartsWith("lr-lr1:lr1-lr2", StringComparison.Ordinal) || l.To.StartsWith("lr-lr1:lr1-lr2", StringComparison.Ordinal));
    }

    [Fact]
    public void Acls_put_a_firewall_between_each_bound_port_and_the_bridge()
    {
        var vm1 = nb.Port("vm1", "02:00:00:00:00:01 10.0.0.1");
        var vm2 = nb.Port("vm2", "02:00:00:00:00:02 10.0.0.2");
        var ls = nb.Switch("ls1", vm1, vm2);
        var web = nb.Acl("to-lport", 1000, "outport == @web && ip4 && tcp.dst == 80", "allow-related", "web-80");
        var rest = nb.Acl("to-lport", 900, "outport == @web && ip4", "drop");
        nb.Group("web", [vm2], web, rest);
        var bad = nb.Acl("from-lport", 10, "eth.type == 0x806", "drop");
        nb.Replace(ls with { Acls = [bad.Uuid] });
        nb.Bind("tap1", "vm1");
        nb.Bind("tap2", "vm2");

        var t = Translate();
        Assert.True(t.Graph.Links("ls-ls1:vm2", "fw-vm2:outside"));
        Assert.True(t.Graph.Links("fw-vm2:inside", "netdev:tap2"));
        Assert.Equal(["""{"role":"inside"}""", """{"role":"outside"}"""], t.Graph.Module("fw-vm2").Ports.Select(p => p.Config.ToJsonString()));
        var rules = t.Graph.EntriesOf("fw-vm2", "rules").ToList();
        Assert.Equal(
            [$$"""{"key":"acl-{{web.Uuid:N}}-0","priority":1000,"direction":"ingress","action":"allow-related","name":"web-80","protocol":"tcp","dport":"80"}""",
             $$"""{"key":"acl-{{rest.Uuid:N}}-0","priority":900,"direction":"ingress","action":"drop"}""",
             """{"key":"default-egress","priority":0,"direction":"egress","action":"allow-related"}""",
             """{"key":"default-ingress","priority":0,"direction":"ingress","action":"allow-related"}"""],
            rules.Select(r => r.ToJsonString()));
        // vm1 is on the switch too: the port group's ACLs apply there, and select no rule.
        Assert.Equal(["default-egress", "default-ingress"], t.Graph.EntriesOf("fw-vm1", "rules").Select(r => (string?)r["key"]));
        Assert.Equal(6, t.Counts.FirewallRules);
        Assert.Contains(t.Untranslated, u => u.Uuid == bad.Uuid && u.Reason.Contains("eth.type", StringComparison.Ordinal) && !u.Partial);
        Assert.Equal(t.Graph.Entries.Where(e => e.Table == "rules").Select(e => (string?)e.Entry["key"]), t.Graph.Entries.Where(e => e.Table == "rules").Select(e => e.Key));
    }

    [Fact]
    public void A_plain_allow_is_tracked_only_on_a_stateful_switch()
    {
        var ls = nb.Switch("ls1", nb.Port("vm1"));
        var allow = nb.Acl("to-lport", 100, "ip4 && udp", "allow");
        nb.Replace(ls with { Acls = [allow.Uuid] });
        nb.Bind("tap1", "vm1");
        Assert.Equal(["allow"], Translate().Graph.EntriesOf("fw-vm1", "rules").Select(r => (string?)r["action"]));

        var related = nb.Acl("to-lport", 200, "ip4 && tcp", "allow-related");
        var stateless = nb.Acl("to-lport", 300, "ip4 && icmp4", "allow-stateless");
        nb.Replace(ls with { Acls = [allow.Uuid, related.Uuid, stateless.Uuid] });
        Assert.Equal(["allow", "allow-related", "allow-related", "allow-related", "allow-related"],
            Translate().Graph.EntriesOf("fw-vm1", "rules").Select(r => (string?)r["action"]));
    }

    [Fact]
    public void A_switch_load_balancer_sits_between_each_bound_port_and_the_bridge()
    {
        var ls = nb.Switch("ls1", nb.Port("vm1"), nb.Port("vm2"));
        var lb = nb.Balancer("lb1", "tcp", ("172.16.0.200:80", "10.0.0.2:8080,10.0.0.3:8080"), ("172.16.0.201", "10.0.0.2"), ("[fd00::1]:80", "[fd00::2]:80"));
        nb.Replace(ls with { LoadBalancer = [lb.Uuid] });
        nb.Bind("tap1", "vm1");

        var t = Translate();
        Assert.True(t.Graph.Links("ls-ls1:vm1", "lbs-vm1:back"));
        Assert.True(t.Graph.Links("lbs-vm1:front", "netdev:tap1"));
        Assert.Equal("""{"vip":"172.16.0.200","port":80,"protocol":"tcp","mode":"dnat"}""", Assert.Single(t.Graph.EntriesOf("lbs-vm1", "services")).ToJsonString());
        Assert.Equal(["10.0.0.2", "10.0.0.3"], t.Graph.EntriesOf("lbs-vm1", "backends").Select(b => (string?)b["address"]));
        Assert.All(t.Graph.EntriesOf("lbs-vm1", "backends"), b => Assert.Equal(("tcp 172.16.0.200:80", 8080), ((string?)b["service"], (int)b["port"]!)));
        var services = t.Graph.Entries.Where(e => e.Module == "lbs-vm1").Select(e => e.Table).ToList();
        Assert.True(services.LastIndexOf("services") < services.IndexOf("backends"), "services come before the backends that name them");
        Assert.Contains(t.Untranslated, u => u.Uuid == lb.Uuid && u.Partial && u.Reason.Contains("without a port", StringComparison.Ordinal));
        Assert.Contains(t.Untranslated, u => u.Uuid == lb.Uuid && u.Partial && u.Reason.Contains("IPv6", StringComparison.Ordinal));
    }

    [Fact]
    public void Nat_goes_on_the_gateway_port_that_holds_the_external_address()
    {
        nb.Switch("ls1", nb.Port("vm1"), nb.RouterLink("ls1-lr1", "lrp-in"));
        nb.Switch("ext", nb.Port("uplink"), nb.RouterLink("ext-lr1", "lrp-out"));
        var router = nb.Router("lr1", nb.RouterPort("lrp-in", "02:00:00:00:aa:01", "10.0.0.1/24"), nb.RouterPort("lrp-out", "02:00:00:00:aa:02", "172.16.0.1/24"));
        var snat = nb.Nat("snat", "172.16.0.1", "10.0.0.0/24");
        var fip = nb.Nat("dnat_and_snat", "172.16.0.50", "10.0.0.5");
        var lost = nb.Nat("dnat", "203.0.113.9", "10.0.0.6");
        nb.Replace(router with { Nat = [snat.Uuid, fip.Uuid, lost.Uuid] });
        nb.Bind("tap1", "vm1");
        nb.Bind("uplink0", "uplink");

        var t = Translate();
        var nat = t.Graph.Module("nat-lrp-out");
        Assert.Equal("""{"externalMac":"02:00:00:00:aa:02"}""", nat.Config.ToJsonString());
        Assert.Equal(["""{"role":"inside"}""", """{"role":"outside","address":"172.16.0.1"}"""], nat.Ports.Select(p => p.Config.ToJsonString()));
        Assert.True(t.Graph.Links("lr-lr1:lrp-out", "nat-lrp-out:inside"));
        Assert.True(t.Graph.Links("ls-ext:ext-lr1", "nat-lrp-out:outside"));
        Assert.True(t.Graph.Links("ls-ls1:ls1-lr1", "lr-lr1:lrp-in"));
        Assert.Equal(
            ["""{"type":"dnat_and_snat","externalIp":"172.16.0.50","logicalIp":"10.0.0.5"}""", """{"type":"snat","externalIp":"172.16.0.1","logicalIp":"10.0.0.0/24"}"""],
            t.Graph.EntriesOf("nat-lrp-out", "rules").Select(r => r.ToJsonString()).Order());
        Assert.Contains(t.Untranslated, u => u.Uuid == lost.Uuid && u.Reason.Contains("no gateway port", StringComparison.Ordinal));
    }

    [Fact]
    public void Unsupported_rows_are_reported_and_never_skipped_silently()
    {
        var nested = nb.Port("child") with { ParentName = "vm1", Tag = 10 };
        nb.Replace(nested);
        var ls = nb.Switch("ls1", nb.Port("vm1", portSecurity: ["02:00:00:00:00:01 10.0.0.1"]), nested, nb.Port("vtep1", type: "vtep"));
        nb.Replace(ls with { QosRules = [Guid.NewGuid()] });
        nb.Bind("tap1", "vm1");
        nb.Bind("this-name-is-too-long", "vm9");

        var t = Translate();
        Assert.Contains(t.Untranslated, u => u.Name == "child" && u.Reason.Contains("nested", StringComparison.Ordinal));
        Assert.Contains(t.Untranslated, u => u.Name == "vtep1" && u.Reason.Contains("'vtep'", StringComparison.Ordinal));
        Assert.Contains(t.Untranslated, u => u.Name == "vm1" && u.Partial && u.Reason.Contains("port_security", StringComparison.Ordinal));
        Assert.Contains(t.Untranslated, u => u.Table == "QoS");
        Assert.Contains(t.Untranslated, u => u.Table == "Interface" && u.Name == "this-name-is-too-long");
    }

    [Fact]
    public void Names_that_do_not_fit_hover_are_shortened_stably_and_stay_unique()
    {
        var longName = new string('x', 80);
        nb.Switch(longName, nb.Port("p/1"));
        nb.Bind("tap1", "p/1");
        var g = Translate().Graph;
        var bridge = Assert.Single(g.Modules);
        Assert.Equal(63, bridge.Name.Length);
        Assert.StartsWith("ls-xxx", bridge.Name, StringComparison.Ordinal);
        Assert.Matches("^p_1-[0-9a-f]{8}$", bridge.Ports[0].Name);
        Assert.True(Translate().Graph.SameAs(g));
    }

    [Fact]
    public void Modules_beyond_the_capacity_are_left_out_and_reported()
    {
        foreach (var i in Enumerable.Range(0, 4))
        {
            nb.Switch($"ls{i}", nb.Port($"vm{i}"));
            nb.Bind($"tap{i}", $"vm{i}");
        }
        var t = new OvnTranslator().Translate(nb.Snapshot, nb.Ovs, moduleCapacity: 3);
        Assert.Equal(["ls-ls0", "ls-ls1", "ls-ls2"], t.Graph.Modules.Select(m => m.Name));
        Assert.DoesNotContain(t.Graph.Links, l => l.From.StartsWith("ls-ls3", StringComparison.Ordinal));
        Assert.Contains(t.Untranslated, u => u.Name == "ls3" && u.Reason.Contains("no module slot", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_databases_give_the_same_graph_and_a_change_touches_only_its_part()
    {
        var ls = nb.Switch("ls1", nb.Port("vm1", "02:00:00:00:00:01"), nb.Port("vm2", "02:00:00:00:00:02"));
        nb.Bind("tap1", "vm1");
        var translator = new OvnTranslator();
        var first = translator.Translate(nb.Snapshot, nb.Ovs).Graph;
        Assert.True(translator.Translate(nb.Snapshot, nb.Ovs).Graph.SameAs(first));

        nb.Bind("tap2", "vm2");
        var second = translator.Translate(nb.Snapshot, nb.Ovs).Graph;
        Assert.False(second.SameAs(first));
        Assert.Equal(first.Links.Append(second.Links[^1]).Select(l => l.To), second.Links.Select(l => l.To));
        Assert.Equal(ls.Ports.Count, second.Module("ls-ls1").Ports.Count);
    }

    [Fact]
    public void Compiled_acls_are_taken_whole_after_a_change_elsewhere_and_compiled_again_when_a_set_they_use_changes()
    {
        var vm1 = nb.Port("vm1", "02:00:00:00:00:01 10.0.0.1");
        var ls = nb.Switch("ls1", vm1);
        var web = nb.Acl("to-lport", 1000, "outport == @web && ip4.src == $allowed && tcp.dst == 80", "allow-related");
        nb.Group("web", [vm1], web);
        var bad = nb.Acl("from-lport", 10, "eth.type == 0x806", "drop");
        nb.Replace(ls with { Acls = [bad.Uuid] });
        var allowed = nb.Addresses("allowed", "10.1.0.0/16");
        nb.Bind("tap1", "vm1");
        var translator = new OvnTranslator();
        var before = nb.Snapshot;
        string Sources(OvnTranslation t) => string.Join(' ', t.Graph.EntriesOf("fw-vm1", "rules").Select(r => (string?)r["src"]).OfType<string>());
        var first = translator.Translate(before, nb.Ovs);
        Assert.Equal("10.1.0.0/16", Sources(first));

        // A port's MAC: the ACL, switch, port group and address set tables are the same instances.
        var ports = new Dictionary<Guid, LogicalSwitchPort>(before.SwitchPorts) { [vm1.Uuid] = vm1 with { Addresses = ["02:00:00:00:00:09 10.0.0.1"] } };
        var macChanged = before with { SwitchPorts = ports };
        var second = translator.Translate(macChanged, nb.Ovs);
        Assert.Equal("10.1.0.0/16", Sources(second));
        Assert.Equal(first.Untranslated, second.Untranslated);
        Assert.Contains(second.Untranslated, u => u.Uuid == bad.Uuid && !u.Partial);
        Assert.Equal(first.Counts.Acls, second.Counts.Acls);

        var sets = new Dictionary<Guid, AddressSet> { [allowed.Uuid] = allowed with { Addresses = ["10.2.0.0/16"] } };
        var third = translator.Translate(macChanged with { AddressSets = sets }, nb.Ovs);
        Assert.Equal("10.2.0.0/16", Sources(third));
        Assert.Contains(third.Untranslated, u => u.Uuid == bad.Uuid && !u.Partial);
    }

    private OvnTranslation Translate() => new OvnTranslator().Translate(nb.Snapshot, nb.Ovs);
}
