using System.Text.Json.Nodes;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// A running hoverd and the namespaces one test made, torn down together even when the test fails:
/// the daemon is killed and its pins removed first (detaching every program), then the namespaces are deleted.
/// </summary>
public sealed class TestBed : IAsyncDisposable
{
    private readonly List<NetworkNamespace> _namespaces = [];

    private TestBed(HoverProcess hover) => Hover = hover;

    public HoverProcess Hover { get; }

    public HttpClient Http => Hover.Http;

    public static async Task<TestBed> StartAsync() => new(await HoverProcess.StartAsync());

    public async Task<NetworkNamespace> AddNamespaceAsync()
    {
        var ns = await NetworkNamespace.CreateAsync();
        _namespaces.Add(ns);
        return ns;
    }

    /// <summary>A namespace with one veth (inner end <c>eth0</c>) carrying <paramref name="ipv4Cidr"/>.</summary>
    public async Task<Host> AddHostAsync(string? ipv4Cidr)
    {
        var ns = await AddNamespaceAsync();
        return new Host(ns, await ns.AddVethAsync(ipv4Cidr));
    }

    /// <summary>
    /// Bridge <paramref name="bridge"/> on <paramref name="hook"/> with ports p1..pN, port i linked to host i's veth;
    /// <paramref name="portConfigs"/> (optional) gives each port's config.
    /// </summary>
    public async Task BuildBridgeAsync(string bridge, string hook, IReadOnlyList<Host> hosts, IReadOnlyList<JsonObject?>? portConfigs = null)
    {
        await Http.CreateBridgeAsync(bridge, hook);
        for (var i = 0; i < hosts.Count; i++)
        {
            var port = $"p{i + 1}";
            await Http.AddPortAsync(bridge, port, portConfigs?[i]);
            await Http.LinkAsync($"{bridge}:{port}", hosts[i].Veth.NetdevRef);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        try
        {
            await Hover.DisposeAsync();
        }
        catch (Exception e)
        {
            failures.Add(e);
        }
        foreach (var ns in _namespaces)
        {
            try
            {
                ns.Dispose();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }
        if (failures.Count > 0)
        {
            throw new AggregateException("test bed teardown failed", failures);
        }
    }
}

/// <summary>A namespace seen as one end host: its namespace and the veth that connects it.</summary>
public sealed record Host(NetworkNamespace Namespace, Veth Veth)
{
    public string Ip => Veth.Ipv4 ?? throw new InvalidOperationException("host has no IPv4 address");

    public string Mac => Veth.Mac;

    public Task<CommandResult> PingAsync(Host other, int count = 2, int timeoutSeconds = 2) =>
        Namespace.PingAsync(other.Ip, count, timeoutSeconds);

    /// <summary>A veth leaves TCP/UDP checksums to "hardware" (CHECKSUM_PARTIAL, skb metadata);
    /// native XDP on its peer sees only the bytes, so a frame it redirects would arrive with the
    /// partial checksum. Real NICs hand XDP finished frames; this makes the veth do the same.</summary>
    public Task<CommandResult> DisableTxChecksumOffloadAsync() =>
        Namespace.ExecCheckedAsync("ethtool", "-K", Veth.InnerName, "tx", "off");
}
