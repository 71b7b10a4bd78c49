using System.Net;
using System.Net.Sockets;
using IoVisor.Bpf;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>Sends UDP to a port nobody listens on: the far host answers with ICMP port unreachable,
/// which a connected socket reports as "connection refused" only when the error reached it as an
/// error about its own datagram (through a NAT: translated back).</summary>
public static class ClosedPortProbe
{
    public static async Task<SocketError?> UdpAsync(NetworkNamespace client, string targetIp, int port)
    {
        using var socket = NetNs.Run(client.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        socket.Connect(new IPEndPoint(IPAddress.Parse(targetIp), port));
        var buffer = new byte[16];
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await socket.SendAsync("anyone?"u8.ToArray());
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await socket.ReceiveAsync(buffer, wait.Token);
                return SocketError.Success;
            }
            catch (SocketException e)
            {
                return e.SocketErrorCode;
            }
            catch (OperationCanceledException)
            {
            }
        }
        return null;
    }
}
