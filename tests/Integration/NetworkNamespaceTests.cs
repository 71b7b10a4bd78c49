using IoVisor.Integration.Tests.Harness;
using Xunit;

namespace IoVisor.Integration.Tests;

/// <summary>
/// The harness on its own, without hoverd: two namespaces joined by a kernel bridge ping each other, and
/// disposing removes the namespaces and their veths. When this fails, the other tests' failures are not the daemon's.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class NetworkNamespaceTests
{
    [Fact]
    public async Task Namespaces_joined_by_a_kernel_bridge_ping_and_leave_nothing_behind()
    {
        var bridge = "iovb" + RandomHex.Next(6);
        Veth a, b;
        string nameA, nameB;
        using (var nsA = await NetworkNamespace.CreateAsync())
        using (var nsB = await NetworkNamespace.CreateAsync())
        {
            nameA = nsA.Name;
            nameB = nsB.Name;
            a = await nsA.AddVethAsync("10.79.0.1/24");
            b = await nsB.AddVethAsync("10.79.0.2/24");
            await Shell.RunCheckedAsync("ip", "link", "add", bridge, "type", "bridge");
            try
            {
                await Shell.RunCheckedAsync("ip", "link", "set", bridge, "up");
                await Shell.RunCheckedAsync("ip", "link", "set", a.HostName, "master", bridge);
                await Shell.RunCheckedAsync("ip", "link", "set", b.HostName, "master", bridge);

                var ping = await nsA.PingAsync("10.79.0.2");
                Assert.True(ping.Succeeded, ping.Describe());
                var neighbours = await nsA.ExecCheckedAsync("ip", "neigh", "show", "10.79.0.2");
                Assert.Contains(b.Mac, neighbours.Stdout, StringComparison.OrdinalIgnoreCase);
            }
            finally
            {
                Shell.Run("ip", "link", "del", bridge);
            }
        }

        var namespaces = await Shell.RunCheckedAsync("ip", "netns", "list");
        Assert.DoesNotContain(nameA, namespaces.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(nameB, namespaces.Stdout, StringComparison.Ordinal);
        var links = await Shell.RunCheckedAsync("ip", "-o", "link", "show");
        Assert.DoesNotContain(a.HostName, links.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(b.HostName, links.Stdout, StringComparison.Ordinal);
    }
}
