using IoVisor.Ovsdb.Monitoring;
using IoVisor.Ovsdb.Tests.Harness;

namespace IoVisor.Ovsdb.Tests;

/// <summary>Clustered databases: monitor_cond_since resumes after the last transaction seen, and
/// the client only stays on the cluster leader.</summary>
public sealed class ClusterTests(ITestOutputHelper output)
{
    private const string Nb = "OVN_Northbound";

    [Fact]
    public async Task After_a_restart_the_server_finds_our_last_transaction_and_sends_only_the_delta()
    {
        await using var server = await OvsdbServer.StartClusterAsync(OvsTools.NbSchema);
        await server.NbctlAsync("ls-add", "sw0", "--", "ls-add", "sw1", "--", "ls-add", "sw2", "--", "lsp-add", "sw0", "p1");
        await using var client = Clients.Create(output, Nb, [server.Remote]);
        client.Monitor<LogicalSwitch>();
        client.Monitor<LogicalSwitchPort>();
        var log = new ChangeLog(client.Cache);
        var syncs = new List<OvsdbSyncedEventArgs>();
        client.Synced += (_, e) => syncs.Add(e);
        await client.StartAsync(default);
        Assert.Equal((MonitorMethod.MonitorCondSince, 4), (syncs[0].Method, syncs[0].RowsReceived));

        // A live update3 moves the last transaction id on.
        var firstTxn = client.Cache.Snapshot.LastTxnId;
        await server.NbctlAsync("set", "Logical_Switch", "sw2", "external_ids:live=1");
        await log.WaitForCountAsync(5);
        Assert.NotEqual(firstTxn, client.Cache.Snapshot.LastTxnId);
        Assert.NotEqual(Guid.Empty, client.Cache.Snapshot.LastTxnId);

        server.Kill();
        await Eventually.TrueAsync(() => client.ConnectedRemote is null, "the client to notice the server is gone");
        var hidden = server.File("hidden.sock");
        await server.LaunchAsync($"punix:{hidden}");
        await OvsTools.RunAsync("ovn-nbctl", $"--db=unix:{hidden}", "--timeout=10", "ls-add", "sw3");
        await OvsTools.RunAsync("ovn-nbctl", $"--db=unix:{hidden}", "--timeout=10", "set", "Logical_Switch", "sw1", "external_ids:k=v");
        File.Delete(server.SocketPath);
        await server.AppctlAsync("ovsdb-server/add-remote", $"punix:{server.SocketPath}");

        await Eventually.TrueAsync(() => syncs.Count == 2, "the client to resynchronize");
        Assert.True(syncs[1].Found);
        Assert.Equal(2, syncs[1].RowsReceived);
        Assert.Equal(["Inserted Logical_Switch sw3", "Updated Logical_Switch sw1 external_ids"], log.Since(5).Order());

        await using var fresh = Clients.Create(output, Nb, [server.Remote]);
        fresh.Monitor<LogicalSwitch>();
        fresh.Monitor<LogicalSwitchPort>();
        await fresh.StartAsync(default);
        Snapshots.AssertSame(fresh.Cache.Snapshot, client.Cache.Snapshot, "Logical_Switch", "Logical_Switch_Port");
    }

    [Fact]
    public async Task A_follower_is_left_for_the_leader()
    {
        await using var leader = await OvsdbServer.StartClusterAsync(OvsTools.NbSchema);
        await leader.NbctlAsync("ls-add", "sw0");
        await using var follower = await OvsdbServer.JoinClusterAsync(leader, Nb);
        await Eventually.TrueAsync(
            async () => (await follower.AppctlAsync("cluster/status", Nb)).Contains("Status: cluster member", StringComparison.Ordinal),
            "the second server to join the cluster");

        await using var client = Clients.Create(output, Nb, [follower.Remote, leader.Remote]);
        client.Monitor<LogicalSwitch>();
        await client.StartAsync(default);

        Assert.Equal(leader.Remote, client.ConnectedRemote?.Text);
        Assert.Equal(["sw0"], client.Cache.Snapshot.Rows<LogicalSwitch>().Select(s => s.Name));
    }
}
