using IoVisor.Ovsdb.Monitoring;
using IoVisor.Ovsdb.Tests.Harness;

namespace IoVisor.Ovsdb.Tests;

/// <summary>The server dies and comes back; the client reconnects by itself and its cache and
/// event stream end up exactly as if it had never been away.</summary>
public sealed class ReconnectTests(ITestOutputHelper output)
{
    private const string Nb = "OVN_Northbound";

    [Theory]
    [InlineData(MonitorMethod.MonitorCondSince)]
    [InlineData(MonitorMethod.Monitor)]
    public async Task After_a_server_restart_the_cache_gets_exactly_the_missed_changes(MonitorMethod method)
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        await server.NbctlAsync("ls-add", "sw0");
        await server.NbctlAsync("lsp-add", "sw0", "p1");
        await server.NbctlAsync("ls-add", "sw1");
        await using var client = Clients.Create(output, Nb, [server.Remote], method);
        client.Monitor<LogicalSwitch>();
        client.Monitor<LogicalSwitchPort>();
        var log = new ChangeLog(client.Cache);
        var syncs = new List<OvsdbSyncedEventArgs>();
        client.Synced += (_, e) => syncs.Add(e);
        await client.StartAsync(default);
        Assert.Equal(3, log.Count);

        server.Kill();
        await Eventually.TrueAsync(() => client.ConnectedRemote is null, "the client to notice the server is gone");

        // Back on a socket the client does not know, so that changes happen before it returns.
        var hidden = server.File("hidden.sock");
        await server.LaunchAsync($"punix:{hidden}");
        await OvsTools.RunAsync("ovn-nbctl", $"--db=unix:{hidden}", "ls-del", "sw1", "--", "lsp-add", "sw0", "p2", "--", "ls-add", "sw2");
        await OvsTools.RunAsync("ovn-nbctl", $"--db=unix:{hidden}", "set", "Logical_Switch", "sw0", "external_ids:k=v");
        File.Delete(server.SocketPath);
        await server.AppctlAsync("ovsdb-server/add-remote", $"punix:{server.SocketPath}");

        await Eventually.TrueAsync(() => syncs.Count == 2, "the client to resynchronize");
        var resync = syncs[1];
        Assert.False(resync.Found);
        Assert.Equal(4, resync.RowsReceived);
        Assert.Equal(
            ["Deleted Logical_Switch sw1", "Inserted Logical_Switch sw2", "Inserted Logical_Switch_Port p2", "Updated Logical_Switch sw0 external_ids,ports"],
            log.Since(3).Order());

        // Live again: later changes arrive as ordinary updates.
        await server.NbctlAsync("lsp-del", "p1");
        await log.WaitForCountAsync(9);
        await Task.Delay(50);
        Assert.Equal(["Deleted Logical_Switch_Port p1", "Updated Logical_Switch sw0 ports"], log.Since(7).Order());

        await using var fresh = Clients.Create(output, Nb, [server.Remote], method);
        fresh.Monitor<LogicalSwitch>();
        fresh.Monitor<LogicalSwitchPort>();
        await fresh.StartAsync(default);
        Snapshots.AssertSame(fresh.Cache.Snapshot, client.Cache.Snapshot, "Logical_Switch", "Logical_Switch_Port");
    }

    [Fact]
    public async Task A_restart_with_no_changes_raises_no_events()
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        await server.NbctlAsync("ls-add", "sw0", "--", "lsp-add", "sw0", "p1");
        await using var client = Clients.Create(output, Nb, [server.Remote]);
        client.Monitor<LogicalSwitch>();
        client.Monitor<LogicalSwitchPort>();
        var log = new ChangeLog(client.Cache);
        var syncs = new List<OvsdbSyncedEventArgs>();
        client.Synced += (_, e) => syncs.Add(e);
        await client.StartAsync(default);

        server.Kill();
        await server.LaunchAsync();
        await Eventually.TrueAsync(() => syncs.Count == 2, "the client to resynchronize");

        Assert.Empty(syncs[1].Changes);
        Assert.Equal(["Inserted Logical_Switch sw0", "Inserted Logical_Switch_Port p1"], log.Lines.Order());
    }
}
