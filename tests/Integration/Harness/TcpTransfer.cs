using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using IoVisor.Bpf;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// A real TCP transfer between two namespaces without any tool installed: sockets are made inside
/// their namespace (a socket keeps the namespace it was created in) and then used from here. The
/// server answers with the SHA-256 of what it received, so the client knows every byte arrived.
/// </summary>
public static class TcpTransfer
{
    public static async Task<TcpTransferResult> RunAsync(NetworkNamespace server, string serverIp, NetworkNamespace client,
        int bytes, int port = 5201, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        using var listener = NetNs.Run(server.Name, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Parse(serverIp), port));
            s.Listen(1);
            return s;
        });
        var serve = ServeAsync(listener, cts.Token);
        using var socket = NetNs.Run(client.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        var payload = RandomNumberGenerator.GetBytes(bytes);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(serverIp), port), cts.Token);
        await socket.SendAsync(payload, cts.Token);
        socket.Shutdown(SocketShutdown.Send);
        var digest = new byte[32];
        var read = 0;
        while (read < digest.Length)
        {
            var n = await socket.ReceiveAsync(digest.AsMemory(read), cts.Token);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        await serve;
        return new TcpTransferResult(bytes, read == digest.Length && digest.AsSpan().SequenceEqual(SHA256.HashData(payload)), started.Elapsed);
    }

    private static async Task ServeAsync(Socket listener, CancellationToken ct)
    {
        using var peer = await listener.AcceptAsync(ct);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await peer.ReceiveAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, n);
        }
        await peer.SendAsync(hash.GetHashAndReset(), ct);
        peer.Shutdown(SocketShutdown.Both);
    }
}

public sealed record TcpTransferResult(int Bytes, bool Intact, TimeSpan Elapsed);
