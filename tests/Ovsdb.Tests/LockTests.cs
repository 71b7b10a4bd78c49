using IoVisor.Ovsdb.Monitoring;
using IoVisor.Ovsdb.Tests.Harness;
using IoVisor.Ovsdb.Transactions;

namespace IoVisor.Ovsdb.Tests;

/// <summary>lock, steal and unlock between two clients of one server.</summary>
public sealed class LockTests(ITestOutputHelper output)
{
    private const string Nb = "OVN_Northbound";

    [Fact]
    public async Task A_lock_is_granted_queued_released_and_stolen_between_two_connections()
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        await using var a = await Clients.ConnectAsync(output, server.Remote);
        await using var b = await Clients.ConnectAsync(output, server.Remote);

        Assert.True(await a.LockAsync("leader", default));
        Assert.False(await b.LockAsync("leader", default));
        await a.TransactAsync(Nb, [new AssertOperation("leader")], default);
        var e = await Assert.ThrowsAsync<OvsdbTransactionException>(() => b.TransactAsync(Nb, [new AssertOperation("leader")], default));
        Assert.Equal("not owner", e.Error);

        await a.UnlockAsync("leader", default);
        Assert.Equal(new LockNotification("leader", Acquired: true), await NextAsync(b));

        Assert.True(await a.StealAsync("leader", default));
        Assert.Equal(new LockNotification("leader", Acquired: false), await NextAsync(b));
        await a.TransactAsync(Nb, [new AssertOperation("leader")], default);
    }

    [Fact]
    public async Task A_client_reports_a_lock_it_was_waiting_for_when_the_holder_lets_go()
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        await using var first = Clients.Create(output, Nb, [server.Remote]);
        await using var second = Clients.Create(output, Nb, [server.Remote]);
        await first.StartAsync(default);
        await second.StartAsync(default);
        var events = new List<OvsdbLockEventArgs>();
        second.LockChanged += (_, e) => events.Add(e);

        Assert.True(await first.LockAsync("northd", default));
        Assert.False(await second.LockAsync("northd", default));
        await first.UnlockAsync("northd", default);

        await Eventually.TrueAsync(() => events.Count == 1, "the lock to pass to the second client");
        Assert.Equal(("northd", true), (events[0].LockId, events[0].Held));
    }

    private static async Task<OvsdbNotification> NextAsync(OvsdbConnection connection)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        return await connection.Notifications.ReadAsync(timeout.Token);
    }
}
