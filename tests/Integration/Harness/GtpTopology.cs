using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using IoVisor.Bpf;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// A sender and two receivers behind GTP matcher g1 on one hook: port "in" links to the sender,
/// "r1" and "r2" to the receivers. The receivers share the GTP endpoint address 10.N.0.100 (each
/// also has its own, 10.N.0.2 and .3, on the sender's network); the sender reaches 10.N.0.100
/// through a static neighbour entry with a MAC no host has, and the matcher writes each receiver's
/// MAC into what it steers to it (port config "mac"), so the receiver's stack takes the frame as
/// its own. Which receiver gets a message is the matcher's choice, by TEID, not the address's.
/// </summary>
public sealed class GtpTopology : IAsyncDisposable
{
    public const string Endpoint = "100";
    private const string EndpointMac = "02:00:00:00:00:64";

    private readonly Socket _sender;

    private GtpTopology(Host sender, Host receiver1, Host receiver2, string net, Socket socket)
    {
        Sender = sender;
        Receiver1 = new UdpSink(receiver1.Namespace, GtpMessages.PortU, GtpMessages.PortC);
        Receiver2 = new UdpSink(receiver2.Namespace, GtpMessages.PortU, GtpMessages.PortC);
        EndpointAddress = $"{net}.{Endpoint}";
        _sender = socket;
    }

    public Host Sender { get; }

    public UdpSink Receiver1 { get; }

    public UdpSink Receiver2 { get; }

    /// <summary>10.N.0.100, where the sender sends every message.</summary>
    public string EndpointAddress { get; }

    public static async Task<GtpTopology> BuildAsync(TestBed bed, string hook, int n, JsonObject? config = null)
    {
        var net = $"10.{n}.0";
        var sender = await bed.AddHostAsync($"{net}.1/24");
        var r1 = await bed.AddHostAsync($"{net}.2/24");
        var r2 = await bed.AddHostAsync($"{net}.3/24");
        await sender.Namespace.ExecCheckedAsync("ip", "neigh", "replace", $"{net}.{Endpoint}", "lladdr", EndpointMac, "dev", "eth0", "nud", "permanent");
        foreach (var receiver in new[] { r1, r2 })
        {
            await receiver.Namespace.ExecCheckedAsync("ip", "addr", "add", $"{net}.{Endpoint}/32", "dev", "eth0");
        }
        if (hook == "xdp")
        {
            await sender.DisableTxChecksumOffloadAsync();
        }

        await bed.Http.CreateModuleAsync("g1", "gtp", hook, config);
        await bed.Http.AddPortAsync("g1", "in");
        await bed.Http.AddPortAsync("g1", "r1", new JsonObject { ["mac"] = r1.Mac });
        await bed.Http.AddPortAsync("g1", "r2", new JsonObject { ["mac"] = r2.Mac });
        await bed.Http.LinkAsync("g1:in", sender.Veth.NetdevRef);
        await bed.Http.LinkAsync("g1:r1", r1.Veth.NetdevRef);
        await bed.Http.LinkAsync("g1:r2", r2.Veth.NetdevRef);

        var socket = NetNs.Run(sender.Namespace.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        return new GtpTopology(sender, r1, r2, net, socket);
    }

    /// <summary>Sends <paramref name="message"/> from the sender to the endpoint's <paramref name="port"/>.</summary>
    public Task SendAsync(int port, byte[] message) =>
        _sender.SendToAsync(message, new IPEndPoint(IPAddress.Parse(EndpointAddress), port));

    public ValueTask DisposeAsync()
    {
        _sender.Dispose();
        Receiver1.Dispose();
        Receiver2.Dispose();
        return ValueTask.CompletedTask;
    }
}
