using IoVisor.OvnBridge.Tests.Harness;

namespace IoVisor.OvnBridge.Tests;

/// <summary>
/// hoverd pointed at real OVN databases (--ovn-nb, --ovs-db): a topology made with ovn-nbctl, VMs
/// as namespaces whose veths are bound with ovs-vsctl through iface-id, and real traffic.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class OvnEndToEndTests
{
    [Fact]
    public async Task Traffic_follows_the_logical_topology_its_acls_nat_and_load_balancer()
    {
        await using var lab = await OvnLab.StartAsync();
        await OvnTopology.BuildAsync(lab.Nb);
        var vm1 = await lab.AddVmAsync("vm1", OvnTopology.Vm1Mac, "10.0.1.10/24", "10.0.1.1");
        var vm2 = await lab.AddVmAsync("vm2", OvnTopology.Vm2Mac, "10.0.2.10/24", "10.0.2.1");
        var outside = await lab.AddVmAsync("outside", OvnTopology.OutMac, "172.16.0.100/24", "172.16.0.1");
        foreach (var vm in new[] { vm1, vm2, outside })
        {
            await lab.LinkedAsync(vm.Netdev);
        }
        Assert.True(await vm1.PingsAsync("10.0.2.10"), $"vm1 cannot reach vm2 through lr1\n{lab.Hoverd.Output}");
        Assert.True(await vm1.PingsAsync("10.0.1.1"), "vm1 cannot reach its gateway");

        // Only TCP 80 from ls1 to vm2.
        await lab.NbctlWaitAsync("acl-add", "ls2", "to-lport", "1000", "outport == \"vm2\" && ip4.src == 10.0.1.0/24 && tcp.dst == 80", "allow-related");
        await lab.NbctlWaitAsync("acl-add", "ls2", "to-lport", "900", "outport == \"vm2\" && ip4.src == 10.0.1.0/24", "drop");
        Assert.Equal("10.0.1.10", await Connections.TcpAsync(vm1, vm2, "10.0.2.10", 80));
        Assert.Null(await Connections.TcpAsync(vm1, vm2, "10.0.2.10", 81));
        Assert.False(await vm1.PingsAsync("10.0.2.10"), "ping passed an ACL that allows only TCP 80");

        // The ACL now allows 81 instead.
        var allow = (await lab.Nb.NbctlAsync("--bare", "--columns=_uuid", "find", "ACL", "priority=1000")).Trim();
        await lab.NbctlWaitAsync("set", "ACL", allow, "match=\"outport == \\\"vm2\\\" && ip4.src == 10.0.1.0/24 && tcp.dst == 81\"");
        Assert.Equal("10.0.1.10", await Connections.TcpAsync(vm1, vm2, "10.0.2.10", 81));
        Assert.Null(await Connections.TcpAsync(vm1, vm2, "10.0.2.10", 80));

        // NAT on lr1's gateway port: ls2 leaves as the router's address, vm1 has a floating IP.
        await lab.NbctlWaitAsync("lr-nat-add", "lr1", "snat", "172.16.0.1", "10.0.2.0/24");
        await lab.NbctlWaitAsync("lr-nat-add", "lr1", "dnat_and_snat", "172.16.0.50", "10.0.1.10");
        Assert.Equal("172.16.0.1", await Connections.TcpAsync(vm2, outside, "172.16.0.100", 9000));
        Assert.Equal("172.16.0.50", await Connections.TcpAsync(vm1, outside, "172.16.0.100", 9000));
        Assert.Equal("172.16.0.100", await Connections.TcpAsync(outside, vm1, "172.16.0.50", 9001));

        // A load balancer on ls1: its VIP leads vm1 to vm2's port 81, which the ACL allows.
        await lab.NbctlWaitAsync("lb-add", "lb1", "172.16.0.200:8080", "10.0.2.10:81", "tcp");
        await lab.NbctlWaitAsync("ls-lb-add", "ls1", "lb1");
        Assert.Equal("10.0.1.10", await Connections.TcpAsync(vm1, vm2, "172.16.0.200", 8080, serverPort: 81));

        await lab.NbctlWaitAsync("acl-add", "ls1", "from-lport", "100", "eth.src == 02:00:00:00:00:99", "drop");
        var status = await lab.StatusAsync();
        Assert.Equal("applied", (string?)status["state"]);
        Assert.Equal(3, (int?)status["counts"]!["localSwitches"]);
        Assert.Equal(3, (int?)status["counts"]!["boundPorts"]);
        Assert.Equal(3, (int?)status["counts"]!["acls"]);
        Assert.Equal(2, (int?)status["counts"]!["natRules"]);
        Assert.True((bool?)status["northbound"]!["synchronized"]);
        Assert.NotNull(status["lastApplied"]!["nbCfg"]);
        var untranslated = Assert.Single(status["untranslated"]!.AsArray());
        Assert.Equal("ACL", (string?)untranslated!["table"]);
        Assert.Contains("eth.src is not supported", (string?)untranslated["reason"], StringComparison.Ordinal);

        Assert.Contains("fw-vm2", await lab.Hoverd.ModulesAsync());
        await lab.NbctlWaitAsync("ls-del", "ls2");
        var modules = await lab.Hoverd.ModulesAsync();
        Assert.DoesNotContain("ls-ls2", modules);
        Assert.DoesNotContain("fw-vm2", modules);
        Assert.Contains("ls-ls1", modules);
        Assert.True(await vm1.PingsAsync("172.16.0.100"), "vm1 lost the outside when ls2 went");
    }

    [Fact]
    public async Task A_restart_of_hoverd_changes_nothing_and_traffic_keeps_flowing()
    {
        await using var lab = await OvnLab.StartAsync();
        await OvnTopology.BuildAsync(lab.Nb);
        var vm1 = await lab.AddVmAsync("vm1", OvnTopology.Vm1Mac, "10.0.1.10/24", "10.0.1.1");
        var vm2 = await lab.AddVmAsync("vm2", OvnTopology.Vm2Mac, "10.0.2.10/24", "10.0.2.1");
        await lab.LinkedAsync(vm1.Netdev);
        await lab.LinkedAsync(vm2.Netdev);
        await lab.NbctlWaitAsync("acl-add", "ls2", "to-lport", "1000", "outport == \"vm2\" && icmp4", "allow-related");
        Assert.True(await vm1.PingsAsync("10.0.2.10"));

        await lab.Hoverd.RestartAsync();
        Assert.True(await vm1.PingsAsync("10.0.2.10"), "traffic stopped across the restart");
        await Eventually.TrueAsync(async () => (await lab.StatusAsync())["lastApplied"] is not null, () => "the first sync after the restart");
        var status = await lab.StatusAsync();
        Assert.Equal(0, (int?)status["lastApplied"]!["changes"]);
        Assert.Equal("applied", (string?)status["state"]);
    }

    [Fact]
    public async Task A_port_bound_to_a_netdev_that_does_not_exist_yet_is_linked_once_it_does()
    {
        await using var lab = await OvnLab.StartAsync();
        await OvnTopology.BuildAsync(lab.Nb);
        var vm1 = await lab.AddVmAsync("vm1", OvnTopology.Vm1Mac, "10.0.1.10/24", "10.0.1.1");
        await lab.BindAsync("ovolate0", "vm2");
        await lab.LinkedAsync(vm1.Netdev);
        await Eventually.TrueAsync(async () => (string?)(await lab.StatusAsync())["state"] == "refused", () => "the refusal");
        var refused = (await lab.StatusAsync())["untranslated"]!.AsArray().Single(r => (string?)r!["name"] == "vm2")!;
        Assert.Contains("no interface 'ovolate0'", (string?)refused["reason"], StringComparison.Ordinal);

        var vm2 = await lab.AddVmAsync("vm2", OvnTopology.Vm2Mac, "10.0.2.10/24", "10.0.2.1", bind: false);
        await Shell.RunCheckedAsync("ip", "link", "set", vm2.Netdev, "down");
        await Shell.RunCheckedAsync("ip", "link", "set", vm2.Netdev, "name", "ovolate0");
        await Shell.RunCheckedAsync("ip", "link", "set", "ovolate0", "up");
        try
        {
            await lab.LinkedAsync("ovolate0");
            Assert.True(await vm1.PingsAsync("10.0.2.10"), "vm2 is linked but unreachable");
            Assert.Equal("applied", (string?)(await lab.StatusAsync())["state"]);
        }
        finally
        {
            await Shell.RunAsync("ip", "link", "del", "ovolate0");
        }
    }
}
