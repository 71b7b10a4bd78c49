using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Monitoring;
using IoVisor.Ovsdb.Tests.Harness;
using IoVisor.Ovsdb.Transactions;
using IoVisor.Ovsdb.Typed;

namespace IoVisor.Ovsdb.Tests;

/// <summary>Monitors on a real ovsdb-server, changed by ovn-nbctl, seen as cache events. Every
/// monitor method must give the same events: the newest ones only send less.</summary>
public sealed class MonitorTests(ITestOutputHelper output)
{
    private const string Nb = "OVN_Northbound";

    [Theory]
    [InlineData(MonitorMethod.MonitorCondSince)]
    [InlineData(MonitorMethod.MonitorCond)]
    [InlineData(MonitorMethod.Monitor)]
    public async Task Changes_made_with_ovn_nbctl_arrive_as_exact_cache_events(MonitorMethod method)
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        await server.NbctlAsync("ls-add", "sw0");
        await using var client = Clients.Create(output, Nb, [server.Remote], method);
        client.Monitor<LogicalSwitch>();
        client.Monitor<LogicalSwitchPort>();
        var log = new ChangeLog(client.Cache);
        OvsdbSyncedEventArgs? synced = null;
        client.Synced += (_, e) => synced = e;

        await client.StartAsync(default);
        Assert.Equal(method, synced!.Method);
        Assert.Equal(["Inserted Logical_Switch sw0"], log.Lines);

        await Step(log, () => server.NbctlAsync("lsp-add", "sw0", "p1"),
            "Inserted Logical_Switch_Port p1", "Updated Logical_Switch sw0 ports");
        await Step(log, () => server.NbctlAsync("lsp-set-addresses", "p1", "00:00:00:00:00:01 10.0.0.1", "00:00:00:00:00:02"),
            "Updated Logical_Switch_Port p1 addresses");
        Assert.Equal(["00:00:00:00:00:01 10.0.0.1", "00:00:00:00:00:02"], Port(client, "p1").Addresses);

        // Both an addition and a removal in one set.
        await Step(log, () => server.NbctlAsync("lsp-set-addresses", "p1", "00:00:00:00:00:02", "00:00:00:00:00:03"),
            "Updated Logical_Switch_Port p1 addresses");
        Assert.Equal(["00:00:00:00:00:02", "00:00:00:00:00:03"], Port(client, "p1").Addresses);

        await Step(log, () => server.NbctlAsync("lsp-set-enabled", "p1", "disabled"),
            "Updated Logical_Switch_Port p1 enabled");
        Assert.False(Port(client, "p1").Enabled);

        // Maps: new keys, a changed value, a removed key.
        await Step(log, () => server.NbctlAsync("set", "Logical_Switch", "sw0", "external_ids:a=1", "external_ids:b=2"),
            "Updated Logical_Switch sw0 external_ids");
        await Step(log, () => server.NbctlAsync("set", "Logical_Switch", "sw0", "external_ids:a=10"),
            "Updated Logical_Switch sw0 external_ids");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "10", ["b"] = "2" }, Switch(client, "sw0").ExternalIds);
        await Step(log, () => server.NbctlAsync("remove", "Logical_Switch", "sw0", "external_ids", "b"),
            "Updated Logical_Switch sw0 external_ids");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "10" }, Switch(client, "sw0").ExternalIds);

        // Our own transaction is seen like anyone else's.
        await Step(log, () => client.TransactAsync([new InsertOperation("Logical_Switch", new Dictionary<string, OvsdbValue> { ["name"] = "mine" })], default),
            "Inserted Logical_Switch mine");

        // Deleting the switch garbage-collects its port.
        await Step(log, () => server.NbctlAsync("ls-del", "sw0"),
            "Deleted Logical_Switch sw0", "Deleted Logical_Switch_Port p1");
        Assert.Equal(["mine"], client.Cache.Snapshot.Rows<LogicalSwitch>().Select(s => s.Name));
        Assert.Empty(client.Cache.Snapshot.Rows<LogicalSwitchPort>());
    }

    [Fact]
    public async Task A_schema_that_cannot_fill_the_records_stops_the_client_with_every_problem()
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        await using var client = Clients.Create(output, Nb, [server.Remote]);
        client.Monitor<SchemaTests.MisfitPort>();
        client.Monitor("Logical_Router", ["name", "no_such_router_column"]);

        var e = await Assert.ThrowsAsync<OvsdbSchemaMismatchException>(() => client.StartAsync(default));
        Assert.Equal(5, e.Problems.Count);
        Assert.Contains("Logical_Router.no_such_router_column does not exist", e.Problems);
    }

    [Fact]
    public async Task A_monitor_condition_limits_the_rows_cached()
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        await server.NbctlAsync("ls-add", "red");
        await server.NbctlAsync("ls-add", "blue");
        await using var client = Clients.Create(output, Nb, [server.Remote]);
        client.Monitor("Logical_Switch", ["name"], [OvsdbCondition.Equal("name", "red")]);
        var log = new ChangeLog(client.Cache);
        await client.StartAsync(default);

        await server.NbctlAsync("ls-add", "green");
        await Step(log, () => server.NbctlAsync("set", "Logical_Switch", "blue", "name=red"), "Inserted Logical_Switch red");
        Assert.Equal(["Inserted Logical_Switch red", "Inserted Logical_Switch red"], log.Lines);
        Assert.Equal(2, client.Cache.Snapshot.Table("Logical_Switch").Count);
    }

    [Fact]
    public async Task A_large_initial_state_arriving_in_many_reads_is_cached_whole()
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        await using var writer = await Clients.ConnectAsync(output, server.Remote);
        var names = Enumerable.Range(0, 3000).Select(i => $"sw-{i}-日本-🙂-\"{{}}\"").ToList();
        await writer.TransactAsync(Nb, [.. names.Select(n => new InsertOperation("Logical_Switch", new Dictionary<string, OvsdbValue>
        {
            ["name"] = n,
            ["external_ids"] = OvsdbMap.Of(new Dictionary<string, string> { ["padding"] = new string('x', 200) }),
        }))], default);

        await using var client = Clients.Create(output, Nb, [server.Remote]);
        client.Monitor<LogicalSwitch>();
        await client.StartAsync(default);

        Assert.Equal(names.Order(StringComparer.Ordinal), client.Cache.Snapshot.Rows<LogicalSwitch>().Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    private static async Task Step(ChangeLog log, Func<Task> change, params string[] expected)
    {
        var before = log.Count;
        await change();
        await log.WaitForCountAsync(before + expected.Length);
        await Task.Delay(50);
        Assert.Equal(expected.Order(), log.Since(before).Order());
    }

    private static LogicalSwitchPort Port(OvsdbClient client, string name) =>
        client.Cache.Snapshot.Rows<LogicalSwitchPort>().Single(p => p.Name == name);

    private static LogicalSwitch Switch(OvsdbClient client, string name) =>
        client.Cache.Snapshot.Rows<LogicalSwitch>().Single(s => s.Name == name);
}
