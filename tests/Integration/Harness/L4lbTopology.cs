using System.Text.Json.Nodes;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// A client and backend servers around load balancer lb1 on one hook, with the VIP 10.N.100.1
/// (port 80) on no network: the client 10.N.1.2/24 routes it to its gateway r1 (10.N.1.1); the
/// backends 10.N.2.11, .12, … sit on bridge b1 behind r1:p2 (10.N.2.1/24), each running a
/// <see cref="NamedEchoServer"/> called b1, b2, … on port 80.
///  - DNAT: client — lb1:front, lb1:back — r1:p1. The balancer rewrites the VIP to a backend
///    before the router sees the packet, and the replies back on their way to the client.
///  - DSR: client — r1:p1; r1:p2 — lb1:front, lb1:back — b1:up. The router sends the VIP to
///    backend 1's MAC (a static route via 10.N.2.11); the balancer picks the backend by rewriting
///    that MAC. Every backend owns the VIP on its loopback, answers no ARP for it, and replies to
///    the client straight from the VIP.
/// </summary>
public sealed class L4lbTopology
{
    public const int ServicePort = 80;

    private L4lbTopology(Host client, IReadOnlyList<Host> backends, string net)
    {
        Client = client;
        Backends = backends;
        Net = net;
    }

    public Host Client { get; }

    /// <summary>Backend i + 1 is <c>Backends[i]</c>, server name <c>b{i + 1}</c>.</summary>
    public IReadOnlyList<Host> Backends { get; }

    /// <summary>"10.N".</summary>
    public string Net { get; }

    public string Vip => $"{Net}.100.1";

    /// <summary>The services-table key of the VIP.</summary>
    public string Service => $"tcp {Vip}:{ServicePort}";

    public static async Task<L4lbTopology> BuildAsync(TestBed bed, string hook, int n, int backends, string mode)
    {
        var net = $"10.{n}";
        var client = await bed.AddHostAsync($"{net}.1.2/24");
        await client.Namespace.ExecCheckedAsync("ip", "route", "add", "default", "via", $"{net}.1.1");
        var servers = new List<Host>();
        for (var i = 1; i <= backends; i++)
        {
            var host = await bed.AddHostAsync($"{net}.2.{10 + i}/24");
            await host.Namespace.ExecCheckedAsync("ip", "route", "add", "default", "via", $"{net}.2.1");
            if (mode == "dsr")
            {
                await host.Namespace.ExecCheckedAsync("ip", "addr", "add", $"{net}.100.1/32", "dev", "lo");
                foreach (var setting in new[] { "all.arp_ignore=1", "all.arp_announce=2", "eth0.arp_ignore=1", "eth0.arp_announce=2" })
                {
                    await host.Namespace.ExecCheckedAsync("sysctl", "-qw", $"net.ipv4.conf.{setting}");
                }
            }
            servers.Add(host);
        }
        if (hook == "xdp")
        {
            foreach (var host in servers.Prepend(client))
            {
                await host.DisableTxChecksumOffloadAsync();
            }
        }

        await bed.Http.CreateModuleAsync("r1", "router", hook);
        await bed.Http.AddPortAsync("r1", "p1", RouterTopology.RouterPort($"{net}.1.1/24"));
        await bed.Http.AddPortAsync("r1", "p2", RouterTopology.RouterPort($"{net}.2.1/24"));
        await bed.BuildBridgeAsync("b1", hook, servers);
        await bed.Http.AddPortAsync("b1", "up");
        await bed.Http.CreateModuleAsync("lb1", "l4lb", hook);
        await bed.Http.AddPortAsync("lb1", "front", new JsonObject { ["role"] = "front" });
        await bed.Http.AddPortAsync("lb1", "back", new JsonObject { ["role"] = "back" });
        if (mode == "dsr")
        {
            await bed.Http.LinkAsync("r1:p1", client.Veth.NetdevRef);
            await bed.Http.LinkAsync("r1:p2", "lb1:front");
            await bed.Http.LinkAsync("lb1:back", "b1:up");
            await bed.Http.CreateAsync("modules/r1/tables/routes/entries", new JsonObject { ["prefix"] = $"{net}.100.1/32", ["nextHop"] = $"{net}.2.11" });
        }
        else
        {
            await bed.Http.LinkAsync("lb1:front", client.Veth.NetdevRef);
            await bed.Http.LinkAsync("lb1:back", "r1:p1");
            await bed.Http.LinkAsync("r1:p2", "b1:up");
        }
        await bed.Http.CreateAsync("modules/lb1/tables/services/entries", new JsonObject { ["vip"] = $"{net}.100.1", ["port"] = ServicePort, ["mode"] = mode });
        return new L4lbTopology(client, servers, net);
    }

    /// <summary>Makes backend <paramref name="i"/> (1-based) a backend of the service, or changes its weight.</summary>
    public Task<ApiResponse> PutBackendAsync(HttpClient http, int i, int weight) =>
        http.SendAsync(HttpMethod.Put, $"modules/lb1/tables/backends/entries/{Uri.EscapeDataString(BackendKey(i))}", new JsonObject
        {
            ["service"] = Service,
            ["address"] = Backends[i - 1].Ip,
            ["weight"] = weight,
            ["mac"] = Backends[i - 1].Mac,
        });

    public string BackendKey(int i) => $"{Service} {Backends[i - 1].Ip}:{ServicePort}";

    /// <summary>One server per backend namespace, named b1, b2, …</summary>
    public IReadOnlyList<NamedEchoServer> StartServers() =>
        Backends.Select((b, i) => NamedEchoServer.Start(b.Namespace, $"b{i + 1}", ServicePort)).ToList();
}
