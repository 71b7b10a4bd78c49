using System.Security.Cryptography;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// A network namespace named <c>iov-&lt;8 hex&gt;</c>, owned by one test. Dispose deletes it, which also removes
/// every veth pair made with <see cref="AddVethAsync"/> (their inner end lives here).
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    public const string NamePrefix = "iov-";

    private readonly List<BackgroundCommand> _background = [];
    private readonly List<string> _hostVeths = [];
    private readonly string _hex;
    private int _vethCount;
    private bool _disposed;

    private NetworkNamespace(string hex)
    {
        _hex = hex;
        Name = NamePrefix + hex;
    }

    public string Name { get; }

    public static async Task<NetworkNamespace> CreateAsync()
    {
        var ns = new NetworkNamespace(RandomHex.Next(8));
        await Shell.RunCheckedAsync("ip", "netns", "add", ns.Name);
        try
        {
            await ns.ExecCheckedAsync("ip", "link", "set", "lo", "up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    /// <summary>
    /// Makes a veth pair: the host end <c>h&lt;6 hex&gt;&lt;n&gt;</c> in the host namespace, the inner end
    /// <paramref name="innerName"/> here, with a random locally administered MAC (unless given), the optional
    /// IPv4 address, both ends up, IPv6 off (no stray frames), and GRO on the inner end so that frames an XDP
    /// program redirects into the pair are accepted.
    /// </summary>
    public async Task<Veth> AddVethAsync(string? ipv4Cidr, string innerName = "eth0", string? mac = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var hostName = $"h{_hex[..6]}{++_vethCount}";
        mac ??= RandomMac();
        await Shell.RunCheckedAsync("ip", "link", "add", hostName, "type", "veth", "peer", "name", innerName, "netns", Name);
        _hostVeths.Add(hostName);
        await Shell.RunCheckedAsync("sysctl", "-qw", $"net.ipv6.conf.{hostName}.disable_ipv6=1");
        await Shell.RunCheckedAsync("ip", "link", "set", hostName, "up");

        await ExecCheckedAsync("sysctl", "-qw", $"net.ipv6.conf.{innerName}.disable_ipv6=1");
        await ExecCheckedAsync("ip", "link", "set", innerName, "address", mac);
        if (ipv4Cidr is not null)
        {
            await ExecCheckedAsync("ip", "addr", "add", ipv4Cidr, "dev", innerName);
        }
        await ExecCheckedAsync("ip", "link", "set", innerName, "up");
        await ExecCheckedAsync("ethtool", "-K", innerName, "gro", "on");
        return new Veth(hostName, innerName, mac, ipv4Cidr);
    }

    /// <summary>
    /// Puts <paramref name="ipv4Cidr"/> on VLAN <paramref name="vlan"/> of <paramref name="parent"/>: an 802.1Q
    /// subinterface <c>parent.vlan</c>, or, when the kernel has no 802.1Q support, the parent itself with
    /// <see cref="VlanSubinterfaceEmulation"/> tagging and untagging its traffic. Returns the interface with the address.
    /// <paramref name="txVlanOffload"/> off makes the parent write tags into the frames instead of skb metadata.
    /// </summary>
    public async Task<string> AddVlanSubinterfaceAsync(string parent, int vlan, string ipv4Cidr, bool txVlanOffload = true)
    {
        await ExecCheckedAsync("ethtool", "-K", parent, "txvlan", txVlanOffload ? "on" : "off");
        var name = $"{parent}.{vlan}";
        var add = await ExecAsync("ip", "link", "add", "link", parent, "name", name, "type", "vlan", "id", vlan.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!add.Succeeded && add.Stderr.Contains("Unknown device type", StringComparison.Ordinal))
        {
            await VlanSubinterfaceEmulation.AttachAsync(this, parent, vlan, txVlanOffload);
            await ExecCheckedAsync("ip", "addr", "add", ipv4Cidr, "dev", parent);
            return parent;
        }
        add.EnsureSuccess();
        await ExecCheckedAsync("sysctl", "-qw", $"net.ipv6.conf.{name}.disable_ipv6=1");
        await ExecCheckedAsync("ip", "addr", "add", ipv4Cidr, "dev", name);
        await ExecCheckedAsync("ip", "link", "set", name, "up");
        return name;
    }

    public Task<CommandResult> ExecAsync(params string[] command) =>
        Shell.RunAsync("ip", new[] { "netns", "exec", Name }.Concat(command));

    public async Task<CommandResult> ExecCheckedAsync(params string[] command) =>
        (await ExecAsync(command)).EnsureSuccess();

    /// <summary>Starts a command inside the namespace and leaves it running; it is killed on Dispose.</summary>
    public BackgroundCommand StartInBackground(params string[] command)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = BackgroundCommand.Start("ip", new[] { "netns", "exec", Name }.Concat(command).ToArray());
        _background.Add(started);
        return started;
    }

    /// <summary><c>ping -c count -W timeout target</c> from inside; the result tells success and carries the output.</summary>
    public Task<CommandResult> PingAsync(string target, int count = 2, int timeoutSeconds = 2) =>
        ExecAsync("ping", "-n", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-W", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), target);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var command in _background)
        {
            command.Dispose();
        }
        // Deleting the host end removes the pair at once; the namespace's own cleanup would do it too, but later.
        foreach (var hostVeth in _hostVeths)
        {
            Shell.Run("ip", "link", "del", hostVeth);
        }
        Shell.Run("ip", "netns", "del", Name);
    }

    /// <summary>Deletes <c>iov-*</c> namespaces left behind by a crashed run: those older than
    /// <see cref="LeftoverAge"/>, so that a run never pulls namespaces from under another one going on.</summary>
    public static void SweepLeftovers()
    {
        var list = Shell.Run("ip", "-o", "netns", "list");
        foreach (var line in list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ', 2)[0];
            if (name.StartsWith(NamePrefix, StringComparison.Ordinal) && IsLeftover($"/run/netns/{name}"))
            {
                Shell.Run("ip", "netns", "del", name);
            }
        }
    }

    /// <summary>Longer than any test keeps what it made.</summary>
    public static readonly TimeSpan LeftoverAge = TimeSpan.FromMinutes(20);

    public static bool IsLeftover(string path) =>
        DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > LeftoverAge;

    private static string RandomMac()
    {
        var bytes = RandomNumberGenerator.GetBytes(6);
        bytes[0] = 0x02; // locally administered, unicast
        return string.Join(':', bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
