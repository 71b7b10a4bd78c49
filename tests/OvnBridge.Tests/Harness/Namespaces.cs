using System.Globalization;
using System.Security.Cryptography;

namespace IoVisor.OvnBridge.Tests.Harness;

/// <summary>A network namespace <c>iovo-&lt;hex&gt;</c> standing for one VM: a veth whose host end
/// (<see cref="Netdev"/>) is what an OVS Interface names, and whose inner end eth0 has the VM's MAC,
/// address and default route. Dispose deletes both.</summary>
public sealed class VmNamespace : IDisposable
{
    public const string Prefix = "iovo-";

    private VmNamespace(string name, string netdev, string ip)
    {
        Name = name;
        Netdev = netdev;
        Ip = ip;
    }

    public string Name { get; }

    public string Netdev { get; }

    public string Ip { get; }

    public static async Task<VmNamespace> CreateAsync(string mac, string cidr, string gateway)
    {
        var hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var ns = new VmNamespace(Prefix + hex, "ovo" + hex, cidr.Split('/')[0]);
        try
        {
            await Shell.RunCheckedAsync("ip", "netns", "add", ns.Name);
            await Shell.RunCheckedAsync("ip", "link", "add", ns.Netdev, "type", "veth", "peer", "name", "eth0", "netns", ns.Name);
            await Shell.RunCheckedAsync("sysctl", "-qw", $"net.ipv6.conf.{ns.Netdev}.disable_ipv6=1");
            await Shell.RunCheckedAsync("ip", "link", "set", ns.Netdev, "up");
            await ns.ExecCheckedAsync("sysctl", "-qw", "net.ipv6.conf.eth0.disable_ipv6=1");
            await ns.ExecCheckedAsync("ip", "link", "set", "lo", "up");
            await ns.ExecCheckedAsync("ip", "link", "set", "eth0", "address", mac);
            await ns.ExecCheckedAsync("ip", "addr", "add", cidr, "dev", "eth0");
            await ns.ExecCheckedAsync("ip", "link", "set", "eth0", "up");
            await ns.ExecCheckedAsync("ip", "route", "add", "default", "via", gateway);
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    public Task<CommandResult> ExecAsync(params string[] command) => Shell.RunAsync("ip", ["netns", "exec", Name, .. command]);

    public async Task ExecCheckedAsync(params string[] command) => (await ExecAsync(command)).EnsureSuccess();

    public async Task<bool> PingsAsync(string target, int count = 2) =>
        (await ExecAsync("ping", "-n", "-c", count.ToString(CultureInfo.InvariantCulture), "-W", "1", target)).Succeeded;

    public void Dispose()
    {
        Shell.Run("ip", "link", "del", Netdev);
        Shell.Run("ip", "netns", "del", Name);
    }

    /// <summary>Namespaces a crashed run left behind: old enough not to be those of a run going on beside this one.</summary>
    public static void SweepLeftovers()
    {
        foreach (var line in Shell.Run("ip", "-o", "netns", "list").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ', 2)[0];
            if (name.StartsWith(Prefix, StringComparison.Ordinal) && IsLeftover($"/run/netns/{name}"))
            {
                Shell.Run("ip", "netns", "del", name);
            }
        }
    }

    /// <summary>Longer than any test keeps what it made.</summary>
    private static readonly TimeSpan LeftoverAge = TimeSpan.FromMinutes(20);

    public static bool IsLeftover(string path) => DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > LeftoverAge;
}
