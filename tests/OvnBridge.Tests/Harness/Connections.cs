using System.Net;
using System.Net.Sockets;
using System.Text;
using IoVisor.Bpf;

namespace IoVisor.OvnBridge.Tests.Harness;

/// <summary>TCP between namespaces without any tool: sockets are made inside their namespace (a
/// socket keeps it) and used from here. A server tells each client the address it saw it from.</summary>
internal static class Connections
{
    /// <summary>Connects from <paramref name="client"/> to address:port, where <paramref name="server"/>
    /// listens on <paramref name="port"/>; returns the client address the server saw, or null when
    /// the connection was not made within the timeout.</summary>
    public static async Task<string?> TcpAsync(VmNamespace client, VmNamespace server, string address, int port, int? serverPort = null)
    {
        using var listener = NetNs.Run(server.Name, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(IPAddress.Any, serverPort ?? port));
            s.Listen(4);
            return s;
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var serve = ServeAsync(listener, timeout.Token);
        using var socket = NetNs.Run(client.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address), port), timeout.Token);
            var buffer = new byte[64];
            var n = await socket.ReceiveAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return null;
        }
        finally
        {
            await timeout.CancelAsync();
            await serve;
        }
    }

    private static async Task ServeAsync(Socket listener, CancellationToken ct)
    {
        try
        {
            using var peer = await listener.AcceptAsync(ct);
            await peer.SendAsync(Encoding.ASCII.GetBytes(((IPEndPoint)peer.RemoteEndPoint!).Address.ToString()), ct);
            peer.Shutdown(SocketShutdown.Both);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
