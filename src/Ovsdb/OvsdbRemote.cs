using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IoVisor.Ovsdb;

/// <summary>Where an OVSDB server listens, in the syntax OVS tools use: <c>unix:PATH</c> or
/// <c>tcp:HOST:PORT</c> (an IPv6 host in brackets).</summary>
public sealed record OvsdbRemote
{
    private OvsdbRemote(string text, EndPoint endPoint)
    {
        Text = text;
        EndPoint = endPoint;
    }

    public string Text { get; }

    public EndPoint EndPoint { get; }

    public static OvsdbRemote Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("unix:", StringComparison.Ordinal) && text.Length > "unix:".Length)
        {
            return new(text, new UnixDomainSocketEndPoint(text["unix:".Length..]));
        }
        if (text.StartsWith("tcp:", StringComparison.Ordinal))
        {
            var hostPort = text["tcp:".Length..];
            var colon = hostPort.LastIndexOf(':');
            if (colon > 0 && int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
            {
                var host = hostPort[..colon].Trim('[', ']');
                return new(text, IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port));
            }
        }
        if (text.StartsWith("ssl:", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"the remote {text} needs SSL, which this client does not implement; use unix: or tcp:");
        }
        throw new FormatException($"the remote \"{text}\" is neither unix:PATH nor tcp:HOST:PORT");
    }

    /// <summary>Opens a stream socket to the remote, giving up after <paramref name="timeout"/>.</summary>
    internal async Task<Socket> ConnectAsync(TimeSpan timeout, CancellationToken ct)
    {
        var socket = EndPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(EndPoint, deadline.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new OvsdbConnectionException($"connecting to {Text} timed out after {timeout.TotalSeconds:0.###} s");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new OvsdbConnectionException($"cannot connect to {Text}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override string ToString() => Text;
}
