using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using IoVisor.Bpf;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// UDP sockets bound inside a namespace (a socket keeps the namespace it was made in) to the given
/// ports on every address; everything that arrives is kept, by destination port, until Dispose.
/// </summary>
public sealed class UdpSink : IDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public UdpSink(NetworkNamespace ns, params int[] ports)
    {
        foreach (var port in ports)
        {
            var socket = NetNs.Run(ns.Name, () =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.Bind(new IPEndPoint(IPAddress.Any, port));
                return s;
            });
            _sockets.Add(socket);
            _loops.Add(ReceiveAsync(socket, port));
        }
    }

    public ConcurrentQueue<(int Port, byte[] Payload)> Received { get; } = new();

    private async Task ReceiveAsync(Socket socket, int port)
    {
        var buffer = new byte[65536];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await socket.ReceiveAsync(buffer, _stop.Token);
                Received.Enqueue((port, buffer[..n]));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
        Task.WaitAll([.. _loops], TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
