using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IoVisor.Bpf;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>Opens a TCP connection from a namespace and reports how it ended: accepted, refused (a
/// reset came back) or nothing within the timeout (the SYN was dropped), and how long that took.</summary>
public static class TcpConnectProbe
{
    public static async Task<(SocketError Outcome, TimeSpan Elapsed)> ConnectAsync(NetworkNamespace client, string targetIp, int port, TimeSpan timeout)
    {
        using var socket = NetNs.Run(client.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var cts = new CancellationTokenSource(timeout);
        var started = Stopwatch.StartNew();
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(targetIp), port), cts.Token);
            return (SocketError.Success, started.Elapsed);
        }
        catch (SocketException e)
        {
            return (e.SocketErrorCode, started.Elapsed);
        }
        catch (OperationCanceledException)
        {
            return (SocketError.TimedOut, started.Elapsed);
        }
    }
}
