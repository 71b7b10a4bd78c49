using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using IoVisor.Bpf;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>A client connection to a <see cref="NamedEchoServer"/> (through a load balancer),
/// made inside the client's namespace: it knows which server greeted it and checks that what it
/// sends comes back unchanged.</summary>
public sealed class EchoConnection : IDisposable
{
    private readonly Socket _socket;

    private EchoConnection(Socket socket, string server)
    {
        _socket = socket;
        Server = server;
    }

    /// <summary>The name of the server that answered.</summary>
    public string Server { get; }

    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public static async Task<EchoConnection> OpenAsync(NetworkNamespace client, string address, int port, CancellationToken ct)
    {
        var socket = NetNs.Run(client.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address), port), ct);
            var line = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                if (await socket.ReceiveAsync(one, ct) == 0)
                {
                    throw new IOException($"the server closed the connection to {address}:{port} before greeting");
                }
                if (one[0] == '\n')
                {
                    break;
                }
                line.Add(one[0]);
            }
            return new EchoConnection(socket, Encoding.ASCII.GetString(line.ToArray()));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens a connection, reads the greeting and closes: which server took it.</summary>
    public static async Task<string> WhoAnswersAsync(NetworkNamespace client, string address, int port, CancellationToken ct)
    {
        using var c = await OpenAsync(client, address, port, ct);
        c._socket.Shutdown(SocketShutdown.Both);
        return c.Server;
    }

    /// <summary>Sends <paramref name="bytes"/> random bytes and reads them back; throws when they do not come back whole.</summary>
    public async Task ExchangeAsync(int bytes, CancellationToken ct)
    {
        var sent = RandomNumberGenerator.GetBytes(bytes);
        var sending = _socket.SendAsync(sent, ct).AsTask();
        var received = new byte[bytes];
        var read = 0;
        while (read < bytes)
        {
            var n = await _socket.ReceiveAsync(received.AsMemory(read), ct);
            if (n == 0)
            {
                throw new IOException($"{Server} closed the connection after echoing {read} of {bytes} bytes");
            }
            read += n;
        }
        await sending;
        if (!received.AsSpan().SequenceEqual(sent))
        {
            throw new IOException($"{Server} echoed {bytes} bytes that differ from what was sent");
        }
    }

    public void Dispose() => _socket.Dispose();
}
