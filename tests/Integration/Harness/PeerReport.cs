using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using IoVisor.Bpf;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// Servers that tell each client the address and port they saw it at: how a test learns what a NAT
/// made of a flow from the far end's point of view. Sockets are made inside their namespace (a socket
/// keeps the namespace it was created in) and used from here, so no tool is needed.
/// </summary>
public static class PeerReport
{
    /// <summary>One UDP datagram to <paramref name="connectIp"/>:<paramref name="port"/>; the server
    /// (bound to <paramref name="serverIp"/>) answers with the endpoint it saw, retried a few times
    /// (the first datagram may wait for ARP).</summary>
    public static async Task<UdpPeerResult> UdpAsync(NetworkNamespace server, string serverIp, NetworkNamespace client, string connectIp, int port)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var listener = NetNs.Run(server.Name, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Parse(serverIp), port));
            return s;
        });
        var serve = ServeUdpAsync(listener, cts.Token);
        using var socket = NetNs.Run(client.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        socket.Connect(new IPEndPoint(IPAddress.Parse(connectIp), port));
        var answer = new byte[64];
        for (var attempt = 0; ; attempt++)
        {
            await socket.SendAsync("who am I"u8.ToArray(), cts.Token);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            wait.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                var n = await socket.ReceiveAsync(answer, wait.Token);
                await cts.CancelAsync();
                await serve;
                return new UdpPeerResult(Encoding.ASCII.GetString(answer, 0, n), socket.LocalEndPoint!.ToString()!);
            }
            catch (OperationCanceledException) when (!cts.IsCancellationRequested && attempt < 5)
            {
            }
        }
    }

    private static async Task ServeUdpAsync(Socket listener, CancellationToken ct)
    {
        var buffer = new byte[64];
        try
        {
            while (true)
            {
                var got = await listener.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), ct);
                await listener.SendToAsync(Encoding.ASCII.GetBytes(got.RemoteEndPoint.ToString()!), got.RemoteEndPoint, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// A TCP connection to <paramref name="connectIp"/>:<paramref name="connectPort"/> (default: the
    /// server's <paramref name="port"/>) that sends
    /// <paramref name="chunks"/> chunks of 64 KiB, <paramref name="pace"/> apart (spread over time when a
    /// test needs the flow to live through something); the server answers with the endpoint it saw and
    /// the SHA-256 of what it received.
    /// </summary>
    public static async Task<TcpPeerResult> TcpAsync(NetworkNamespace server, string serverIp, NetworkNamespace client, string connectIp, int port,
        int chunks = 64, TimeSpan pace = default, TimeSpan? timeout = null, int? connectPort = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var listener = NetNs.Run(server.Name, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Parse(serverIp), port));
            s.Listen(1);
            return s;
        });
        var serve = ServeTcpAsync(listener, cts.Token);
        using var socket = NetNs.Run(client.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(connectIp), connectPort ?? port), cts.Token);
        var local = socket.LocalEndPoint!.ToString()!;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < chunks; i++)
        {
            var chunk = RandomNumberGenerator.GetBytes(64 * 1024);
            hash.AppendData(chunk);
            await socket.SendAsync(chunk, cts.Token);
            if (pace > TimeSpan.Zero)
            {
                await Task.Delay(pace, cts.Token);
            }
        }
        socket.Shutdown(SocketShutdown.Send);
        var answer = new MemoryStream();
        var buffer = new byte[256];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, cts.Token)) > 0)
        {
            answer.Write(buffer, 0, n);
        }
        await serve;
        var parts = Encoding.ASCII.GetString(answer.ToArray()).Split(' ');
        var intact = parts.Length == 2 && parts[1] == Convert.ToHexString(hash.GetHashAndReset());
        return new TcpPeerResult(parts[0], local, intact);
    }

    private static async Task ServeTcpAsync(Socket listener, CancellationToken ct)
    {
        using var peer = await listener.AcceptAsync(ct);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await peer.ReceiveAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, n);
        }
        await peer.SendAsync(Encoding.ASCII.GetBytes($"{peer.RemoteEndPoint} {Convert.ToHexString(hash.GetHashAndReset())}"), ct);
        peer.Shutdown(SocketShutdown.Both);
    }
}

/// <summary><see cref="Seen"/>: the client's endpoint as the server saw it; <see cref="Local"/>: as the client has it.</summary>
public sealed record UdpPeerResult(string Seen, string Local)
{
    public string SeenAddress => Seen.Split(':')[0];
}

public sealed record TcpPeerResult(string Seen, string Local, bool Intact)
{
    public string SeenAddress => Seen.Split(':')[0];
}
