using System.Diagnostics;

namespace IoVisor.Client.Tests.EndToEnd;

/// <summary>A veth pair in the test's own namespace, for bridge ports to link to; deleted on dispose.</summary>
public sealed class VethPair : IDisposable
{
    private VethPair(string a, string b)
    {
        A = a;
        B = b;
    }

    public string A { get; }

    public string B { get; }

    public static async Task<VethPair> CreateAsync()
    {
        // Interface names are at most 15 characters.
        var id = Guid.NewGuid().ToString("N")[..8];
        var pair = new VethPair($"hc{id}a", $"hc{id}b");
        await IpAsync("link", "add", pair.A, "type", "veth", "peer", "name", pair.B);
        foreach (var dev in new[] { pair.A, pair.B })
        {
            // Quiet links: router solicitations would teach the bridges under test MACs the tests do not expect.
            await File.WriteAllTextAsync($"/proc/sys/net/ipv6/conf/{dev}/disable_ipv6", "1");
            await IpAsync("link", "set", dev, "up");
        }
        return pair;
    }

    public void Dispose() => IpAsync("link", "del", A).GetAwaiter().GetResult();

    private static async Task IpAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using var ip = Process.Start(psi)!;
        var stderr = await ip.StandardError.ReadToEndAsync();
        await ip.WaitForExitAsync();
        if (ip.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({ip.ExitCode}): {stderr}");
        }
    }
}
