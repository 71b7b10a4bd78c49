using IoVisor.Ovsdb.Monitoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoVisor.Ovsdb.Tests.Harness;

/// <summary>Clients and connections with test-sized timings.</summary>
internal static class Clients
{
    public static OvsdbClient Create(
        ITestOutputHelper output,
        string database,
        IEnumerable<string> remotes,
        MonitorMethod method = MonitorMethod.MonitorCondSince,
        Action<OvsdbClientOptions>? configure = null)
    {
        var options = new OvsdbClientOptions
        {
            Remotes = [.. remotes],
            Database = database,
            MinBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(400),
            MonitorMethod = method,
        };
        configure?.Invoke(options);
        return new(Options.Create(options), new TestLogger<OvsdbClient>(output));
    }

    public static Task<OvsdbConnection> ConnectAsync(ITestOutputHelper output, string remote, TimeSpan? inactivityProbe = null) =>
        OvsdbConnection.ConnectAsync(
            OvsdbRemote.Parse(remote),
            new OvsdbConnectionOptions { InactivityProbe = inactivityProbe ?? TimeSpan.Zero },
            new TestLogger<OvsdbConnection>(output),
            CancellationToken.None);
}
