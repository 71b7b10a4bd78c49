using System.Globalization;

namespace IoVisor.OvnBench;

/// <summary>The veth pairs standing for local VMs (obv{n}, peer obp{n}) and their Open_vSwitch
/// interfaces with iface-id set to the first bound logical ports, in port order.</summary>
internal sealed class LocalNetdevs(BenchOptions options) : IAsyncDisposable
{
    public IReadOnlyList<(string Netdev, string Port)> Bindings { get; } =
        [.. Enumerable.Range(0, options.Bound).Select(n =>
            (string.Create(CultureInfo.InvariantCulture, $"obv{n}"), NbGenerator.SwitchPort(n / options.PortsPerSwitch, n % options.PortsPerSwitch)))];

    public async Task CreateAsync(string openVswitch)
    {
        await Tools.IpBatchAsync(Bindings.Select(b => $"link del {b.Netdev}"), force: true);
        await Tools.IpBatchAsync(Bindings.SelectMany(b => new[]
        {
            $"link add {b.Netdev} type veth peer name obp{b.Netdev[3..]}", $"link set {b.Netdev} up", $"link set obp{b.Netdev[3..]} up",
        }));
        var args = new List<string> { $"--db={openVswitch}", "--no-wait", "--timeout=60" };
        foreach (var (netdev, port) in Bindings)
        {
            args.AddRange(["--", "add-port", "br-int", netdev, "--", "set", "Interface", netdev, $"external_ids:iface-id={port}"]);
        }
        await Tools.RunAsync("ovs-vsctl", [.. args]);
    }

    public async ValueTask DisposeAsync() => await Tools.IpBatchAsync(Bindings.Select(b => $"link del {b.Netdev}"), force: true);
}
