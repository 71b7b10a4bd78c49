using IoVisor.OvnBridge.Tests.Harness;

namespace IoVisor.OvnBridge.Tests;

/// <summary>The OVN tier: real ovsdb-servers driven by ovn-nbctl and ovs-vsctl, the bridge
/// service translating them into a recording target.</summary>
public sealed class OvnBridgeServiceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_topology_made_with_ovn_nbctl_becomes_bridges_a_router_and_links_to_bound_netdevs()
    {
        await using var bridge = await BridgeUnderTest.StartAsync(output);
        await OvnTopology.BuildAsync(bridge.Nb);
        await bridge.BindAsync("veth-vm1", "vm1");
        await bridge.BindAsync("veth-vm2", "vm2");

        var graph = await bridge.GraphAsync(g => g.Links("ls-ls2:vm2", "netdev:veth-vm2"), "vm2 bound");
        Assert.Equal(["bridge", "bridge", "router"], graph.Modules.Select(m => m.Type).Order());
        Assert.Equal(["ls1-lr1", "vm1"], graph.Module("ls-ls1").Ports.Select(p => p.Name));
        Assert.Equal(["lrp-ls1", "lrp-ls2", "lrp-out"], graph.Module("lr-lr1").Ports.Select(p => p.Name));
        Assert.True(graph.Links("ls-ls1:vm1", "netdev:veth-vm1"));
        Assert.True(graph.Links("ls-ls1:ls1-lr1", "lr-lr1:lrp-ls1"));
        Assert.True(graph.Links("ls-ls2:ls2-lr1", "lr-lr1:lrp-ls2"));
        Assert.False(graph.HasModule("ls-ls-out"));
        Assert.Contains(graph.EntriesOf("ls-ls1", "fdb"), e => (string?)e["mac"] == OvnTopology.Vm1Mac && (string?)e["port"] == "vm1");
        Assert.Contains(graph.EntriesOf("ls-ls1", "fdb"), e => (string?)e["mac"] == "02:00:00:00:aa:01" && (string?)e["port"] == "ls1-lr1");
        Assert.Equal("10.0.1.1/24", (string?)graph.Module("lr-lr1").Ports[0].Config["addresses"]![0]);

        var status = bridge.Service.Status;
        Assert.Equal("applied", status.State);
        Assert.Equal(3, status.Counts!.Switches);
        Assert.Equal(2, status.Counts.LocalSwitches);
        Assert.Equal(2, status.Counts.BoundPorts);
        Assert.True(status.Northbound.Synchronized && status.OpenVswitch.Synchronized);
    }

    [Fact]
    public async Task Each_change_reaches_the_graph_and_a_change_elsewhere_applies_nothing()
    {
        await using var bridge = await BridgeUnderTest.StartAsync(output);
        await OvnTopology.BuildAsync(bridge.Nb);
        await bridge.BindAsync("veth-vm1", "vm1");
        await bridge.BindAsync("veth-vm2", "vm2");
        await bridge.GraphAsync(g => g.Links("ls-ls2:vm2", "netdev:veth-vm2"), "vm2 bound");

        await bridge.Nb.NbctlAsync("acl-add", "ls2", "to-lport", "1000", "outport == \"vm2\" && ip4 && tcp.dst == 80", "allow-related");
        var graph = await bridge.GraphAsync(g => g.HasModule("fw-vm2"), "a firewall for vm2");
        Assert.True(graph.Links("ls-ls2:vm2", "fw-vm2:outside") && graph.Links("fw-vm2:inside", "netdev:veth-vm2"));

        var applied = bridge.Target.Applied.Count;
        await bridge.Nb.NbctlAsync("lsp-add", "ls2", "elsewhere", "--", "lsp-set-addresses", "elsewhere", "02:00:00:00:02:0b 10.0.2.11");
        await Eventually.TrueAsync(() => bridge.Service.Status.Counts?.SwitchPorts == 8, () => "the new port counted");
        Assert.Equal(applied, bridge.Target.Applied.Count);

        await bridge.Nb.NbctlAsync("ls-del", "ls2");
        graph = await bridge.GraphAsync(g => !g.HasModule("ls-ls2"), "ls2 gone");
        Assert.False(graph.HasModule("fw-vm2"));
        Assert.DoesNotContain(graph.Module("lr-lr1").Ports, p => p.Name == "lrp-ls2" && graph.Links.Any(l => l.To == "lr-lr1:lrp-ls2" || l.From == "lr-lr1:lrp-ls2"));
    }

    [Fact]
    public async Task A_lost_connection_changes_nothing_and_the_resync_applies_nothing_either()
    {
        await using var bridge = await BridgeUnderTest.StartAsync(output);
        await OvnTopology.BuildAsync(bridge.Nb);
        await bridge.BindAsync("veth-vm1", "vm1");
        await bridge.GraphAsync(g => g.HasModule("ls-ls1"), "ls1");
        var applied = bridge.Target.Applied.Count;
        var sequence = bridge.Service.Status.LastApplied!.Sequence;

        bridge.Nb.Kill();
        bridge.Ovs.Kill();
        await Eventually.TrueAsync(() => bridge.Service.Status is { Northbound.Connected: null, OpenVswitch.Connected: null }, () => "both disconnected");
        Assert.NotNull(bridge.Service.Status.Northbound.LastError);
        await bridge.Nb.LaunchAsync();
        await bridge.Ovs.LaunchAsync();
        await Eventually.TrueAsync(() => bridge.Service.Status is { Northbound.Connected: not null, OpenVswitch.Connected: not null }, () => "both reconnected");
        await Eventually.TrueAsync(() => bridge.Service.Status.LastApplied!.Sequence > sequence, () => "the resync translated");
        Assert.Equal(applied, bridge.Target.Applied.Count);
        Assert.Equal("applied", bridge.Service.Status.State);

        await bridge.BindAsync("veth-vm2", "vm2");
        await bridge.GraphAsync(g => g.Links("ls-ls2:vm2", "netdev:veth-vm2"), "a change after the reconnect");
    }

    [Fact]
    public async Task Rows_that_cannot_be_translated_are_in_the_status_with_the_reason()
    {
        await using var bridge = await BridgeUnderTest.StartAsync(output);
        await OvnTopology.BuildAsync(bridge.Nb);
        await bridge.BindAsync("veth-vm1", "vm1");
        await bridge.Nb.NbctlAsync("acl-add", "ls1", "from-lport", "100", "eth.src == 02:00:00:00:00:99", "drop");
        await bridge.Nb.NbctlAsync("--", "--id=@r", "create", "Logical_Router_Static_Route", "ip_prefix=10.9.0.0/16", "nexthop=192.0.2.1",
            "--", "add", "Logical_Router", "lr1", "static_routes", "@r");
        await Eventually.TrueAsync(() => bridge.Service.Status.Untranslated.Count >= 2, () => $"untranslated rows: {string.Join("; ", bridge.Service.Status.Untranslated)}");

        var rows = bridge.Service.Status.Untranslated;
        var acl = Assert.Single(rows, r => r.Table == "ACL");
        Assert.Contains("eth.src is not supported", acl.Reason, StringComparison.Ordinal);
        Assert.Contains(rows, r => r.Table == "Logical_Router_Static_Route" && r.Reason.Contains("192.0.2.1 is on none", StringComparison.Ordinal));
        Assert.Equal(1, bridge.Service.Status.Counts!.Acls);
    }

    [Fact]
    public async Task What_the_target_refuses_is_reported_and_retried_without_a_database_change()
    {
        await using var bridge = await BridgeUnderTest.StartAsync(output);
        var netdevExists = false;
        bridge.Target.Refuse = g => netdevExists
            ? []
            : [.. g.Links.Select((l, i) => (l, i)).Where(x => x.l.To == "netdev:late0").Select(x => new Service.GraphRejection(Service.GraphItemKind.Link, x.i, 0, "no interface 'late0'"))];
        await OvnTopology.BuildAsync(bridge.Nb);
        await bridge.BindAsync("veth-vm1", "vm1");
        await bridge.BindAsync("late0", "vm2");
        await Eventually.TrueAsync(() => bridge.Service.Status.State == "refused", () => $"a refusal (state {bridge.Service.Status.State})");
        Assert.Contains(bridge.Service.Status.Untranslated, r => r.Name == "vm2" && r.Reason == "Hover refused the link ls-ls2:vm2 - netdev:late0: no interface 'late0'");
        Assert.False(bridge.Target.Last!.Links("ls-ls2:vm2", "netdev:late0"));
        Assert.True(bridge.Target.Last!.Links("ls-ls1:vm1", "netdev:veth-vm1"));

        netdevExists = true;
        await bridge.GraphAsync(g => g.Links("ls-ls2:vm2", "netdev:late0"), "the retry");
        await Eventually.TrueAsync(() => bridge.Service.Status.State == "applied", () => "applied");
        Assert.Empty(bridge.Service.Status.Untranslated);
    }

    [Fact]
    public async Task With_acknowledgements_ovn_nbctl_wait_returns_once_the_change_is_applied()
    {
        await using var bridge = await BridgeUnderTest.StartAsync(output, o => o.AcknowledgeNbCfg = true);
        await OvnTopology.BuildAsync(bridge.Nb);
        await bridge.BindAsync("veth-vm1", "vm1");
        await bridge.BindAsync("veth-vm2", "vm2");
        await bridge.Nb.NbctlAsync("--wait=hv", "acl-add", "ls2", "to-lport", "1000", "ip4", "drop");
        Assert.True(bridge.Target.Last!.HasModule("fw-vm2"));
        Assert.Equal(bridge.Service.Status.LastApplied!.NbCfg, long.Parse((await bridge.Nb.NbctlAsync("get", "NB_Global", ".", "hv_cfg")).Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
