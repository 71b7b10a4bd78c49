using System.Net;
using System.Net.Sockets;
using IoVisor.Ovsdb.Tests.Harness;

namespace IoVisor.Ovsdb.Tests;

/// <summary>Echo both ways: the client answers the server's inactivity probes, and probes a
/// server that went quiet and drops it.</summary>
public sealed class EchoTests(ITestOutputHelper output)
{
    private const string Nb = "OVN_Northbound";

    [Fact]
    public async Task The_server_answers_our_echo()
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        await using var connection = await Clients.ConnectAsync(output, server.Remote);
        await connection.EchoAsync(default);
    }

    [Fact]
    public async Task The_client_answers_the_servers_echo_probes_and_stays_connected()
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        var port = FreeTcpPort();
        // A TCP remote configured in the database, with the shortest probe ovsdb-server allows (1 s).
        await server.NbctlAsync("set-connection", $"ptcp:{port}:127.0.0.1", "--", "set", "Connection", ".", "inactivity_probe=1000");
        await server.AppctlAsync("ovsdb-server/add-remote", "db:OVN_Northbound,NB_Global,connections");
        await using var connection = await ConnectWhenListeningAsync($"tcp:127.0.0.1:{port}");
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(IPAddress.Loopback, port);

        // A peer that never answers gets an echo request, then is dropped; ours survives the same time.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(6));
        var received = await ReadUntilClosedAsync(silent, deadline.Token);
        Assert.Contains("\"method\":\"echo\"", received, StringComparison.Ordinal);
        Assert.False(connection.Completion.IsCompleted);
        await connection.EchoAsync(default);
    }

    [Fact]
    public async Task A_server_that_stops_answering_is_dropped_and_reconnected_to_when_it_is_back()
    {
        await using var server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        await server.NbctlAsync("ls-add", "sw0");
        await using var client = Clients.Create(output, Nb, [server.Remote], configure: o => o.Connection.InactivityProbe = TimeSpan.FromMilliseconds(200));
        client.Monitor<LogicalSwitch>();
        var synced = 0;
        Exception? lost = null;
        client.Synced += (_, _) => Interlocked.Increment(ref synced);
        client.Disconnected += (_, e) => lost = e.Reason;
        await client.StartAsync(default);

        PosixSignal.Send(server.Pid, PosixSignal.SigStop);
        try
        {
            await Eventually.TrueAsync(() => lost is not null, "the probe to give up on the frozen server", TimeSpan.FromSeconds(5));
        }
        finally
        {
            PosixSignal.Send(server.Pid, PosixSignal.SigCont);
        }
        Assert.IsType<OvsdbConnectionException>(lost);
        Assert.Contains("echo probe", lost!.Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => Volatile.Read(ref synced) == 2, "the client to come back");
        Assert.Equal(["sw0"], client.Cache.Snapshot.Rows<LogicalSwitch>().Select(s => s.Name));
    }

    private async Task<OvsdbConnection> ConnectWhenListeningAsync(string remote)
    {
        OvsdbConnection? connection = null;
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    connection = await Clients.ConnectAsync(output, remote);
                    return true;
                }
                catch (OvsdbConnectionException)
                {
                    return false;
                }
            },
            $"ovsdb-server to listen on {remote}");
        return connection!;
    }

    private static async Task<string> ReadUntilClosedAsync(Socket socket, CancellationToken ct)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, ct)) > 0)
        {
            text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, n));
        }
        return text.ToString();
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
