using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace IoVisor.SlowPath;

/// <summary>Writes raw frames out of one interface through an AF_PACKET socket.</summary>
public sealed class PacketSender : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Packet, SocketType.Raw, ProtocolType.Raw);
    private readonly LinkLayerEndPoint _target;

    public PacketSender(int ifindex) => _target = new LinkLayerEndPoint(ifindex);

    public void Send(ReadOnlySpan<byte> frame) => _socket.SendTo(frame, SocketFlags.None, _target);

    public void Dispose() => _socket.Dispose();

    /// <summary>struct sockaddr_ll naming the interface to send on.</summary>
    private sealed class LinkLayerEndPoint(int ifindex) : EndPoint
    {
        private const int SockaddrLlSize = 20;

        public override AddressFamily AddressFamily => AddressFamily.Packet;

        public override SocketAddress Serialize()
        {
            var address = new SocketAddress(AddressFamily.Packet, SockaddrLlSize);
            Span<byte> bytes = stackalloc byte[SockaddrLlSize];
            BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], ifindex);
            for (var i = 2; i < SockaddrLlSize; i++)
            {
                address[i] = bytes[i];
            }
            return address;
        }

        public override EndPoint Create(SocketAddress socketAddress) => this;
    }
}
