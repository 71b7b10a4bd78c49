using System.Net;
using System.Net.Sockets;

namespace IoVisor.Integration.Tests.Harness;

public static class FreeTcpPort
{
    /// <summary>A loopback port the kernel just handed out and that is free again.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
