using IoVisor.Ovsdb.Tests.Harness;
using IoVisor.Ovsdb.Typed;

namespace IoVisor.Ovsdb.Tests;

/// <summary>The local Open_vSwitch database, changed by ovs-vsctl, read through typed records.</summary>
public sealed class OpenVswitchTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Bridges_ports_and_interface_bindings_set_with_ovs_vsctl_are_cached()
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.VswitchSchema);
        await server.VsctlAsync("init");
        await using var client = Clients.Create(output, "Open_vSwitch", [server.Remote]);
        client.Monitor<Bridge>();
        client.Monitor<Port>();
        client.Monitor<Interface>();
        var log = new ChangeLog(client.Cache);
        await client.StartAsync(default);

        await server.VsctlAsync("add-br", "br0");
        await server.VsctlAsync("add-port", "br0", "tap1", "--", "set", "Interface", "tap1", "external_ids:iface-id=lsp1");
        await Eventually.TrueAsync(() => client.Cache.Snapshot.Rows<Interface>().Count() == 2, "both interfaces");

        var snapshot = client.Cache.Snapshot;
        var tap = snapshot.Rows<Interface>().Single(i => i.Name == "tap1");
        Assert.Equal("lsp1", tap.ExternalIds["iface-id"]);
        Assert.Null(tap.Ofport);
        Assert.Equal("internal", snapshot.Rows<Interface>().Single(i => i.Name == "br0").Type);
        var port = snapshot.Rows<Port>().Single(p => p.Name == "tap1");
        Assert.Equal([tap.Uuid], port.Interfaces);
        var bridge = Assert.Single(snapshot.Rows<Bridge>());
        Assert.Contains(port.Uuid, bridge.Ports);
        Assert.Equal("tap1", snapshot.Row<Port>(port.Uuid)?.Name);

        var before = log.Count;
        await server.VsctlAsync("set", "Interface", "tap1", "external_ids:iface-id=lsp2");
        await log.WaitForCountAsync(before + 1);
        Assert.Equal("lsp2", client.Cache.Snapshot.Rows<Interface>().Single(i => i.Name == "tap1").ExternalIds["iface-id"]);

        await server.VsctlAsync("del-port", "br0", "tap1");
        await Eventually.TrueAsync(() => client.Cache.Snapshot.Rows<Interface>().Count() == 1, "tap1 to go away");
        Assert.Contains("Deleted Interface tap1", log.Lines);
        Assert.Contains("Deleted Port tap1", log.Lines);
    }

    [OvsdbTable("Bridge")]
    public sealed record Bridge(Guid Uuid, string Name, IReadOnlyList<Guid> Ports);

    [OvsdbTable("Port")]
    public sealed record Port(Guid Uuid, string Name, IReadOnlyList<Guid> Interfaces);

    [OvsdbTable("Interface")]
    public sealed record Interface(Guid Uuid, string Name, string Type, long? Ofport, IReadOnlyDictionary<string, string> ExternalIds);
}
