using System.Net;
using System.Net.Sockets;
using System.Text;
using IoVisor.Bpf;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// A TCP server inside a namespace (its socket made there) that greets every connection with its
/// own name and a newline, then echoes whatever it receives until the client closes: a client
/// behind a load balancer learns which backend it reached, and that the bytes went both ways.
/// </summary>
public sealed class NamedEchoServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    private NamedEchoServer(string name, Socket listener)
    {
        Name = name;
        _listener = listener;
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Listens on <paramref name="port"/> of every address of <paramref name="ns"/> (a DSR
    /// backend is reached at the VIP on its loopback).</summary>
    public static NamedEchoServer Start(NetworkNamespace ns, string name, int port)
    {
        var listener = NetNs.Run(ns.Name, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(IPAddress.Any, port));
            s.Listen(512);
            return s;
        });
        return new NamedEchoServer(name, listener);
    }

    private async Task AcceptAsync()
    {
        var greeting = Encoding.ASCII.GetBytes(Name + "\n");
        var peers = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var peer = await _listener.AcceptAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                peers.Add(ServeAsync(peer, greeting, _stop.Token));
            }
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(peers);
    }

    private static async Task ServeAsync(Socket peer, byte[] greeting, CancellationToken ct)
    {
        using (peer)
        {
            try
            {
                await peer.SendAsync(greeting, ct);
                var buffer = new byte[64 * 1024];
                int n;
                while ((n = await peer.ReceiveAsync(buffer, ct)) > 0)
                {
                    await peer.SendAsync(buffer.AsMemory(0, n), ct);
                }
                peer.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // The client went away or the test ended: nothing to report from here, the client checks.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
