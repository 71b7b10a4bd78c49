using System.Text.Json.Nodes;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// Two inside hosts behind router r1 and NAT n1 on one hook, and one outside host:
/// A 10.N.1.2 on r1:p1 (10.N.1.1/24), B 10.N.3.2 on r1:p3 (10.N.3.1/24); r1:p2 (198.18.N.1/24) faces
/// n1:in, n1:out (outside address 198.18.N.1) faces the outside host 198.18.N.100/24, which has no
/// route to the inside networks: whatever reaches an inside host from it went through the NAT.
/// </summary>
public sealed class NatTopology
{
    private NatTopology(Host a, Host b, Host outside, string outsideNet)
    {
        A = a;
        B = b;
        Outside = outside;
        OutsideNet = outsideNet;
    }

    public Host A { get; }

    public Host B { get; }

    public Host Outside { get; }

    /// <summary>"198.18.N": the first three octets of the outside network.</summary>
    public string OutsideNet { get; }

    /// <summary>The router's outside address: what masquerade translates to.</summary>
    public string RouterOutside => $"{OutsideNet}.1";

    public static async Task<NatTopology> BuildAsync(TestBed bed, string hook, int n)
    {
        var outsideNet = $"198.18.{n}";
        var a = await bed.AddHostAsync($"10.{n}.1.2/24");
        var b = await bed.AddHostAsync($"10.{n}.3.2/24");
        var outside = await bed.AddHostAsync($"{outsideNet}.100/24");
        foreach (var (host, gateway) in new[] { (a, $"10.{n}.1.1"), (b, $"10.{n}.3.1") })
        {
            await host.Namespace.ExecCheckedAsync("ip", "route", "add", "default", "via", gateway);
        }
        if (hook == "xdp")
        {
            foreach (var host in new[] { a, b, outside })
            {
                await host.DisableTxChecksumOffloadAsync();
            }
        }

        await bed.Http.CreateModuleAsync("r1", "router", hook);
        await bed.Http.AddPortAsync("r1", "p1", RouterTopology.RouterPort($"10.{n}.1.1/24"));
        await bed.Http.AddPortAsync("r1", "p2", RouterTopology.RouterPort($"{outsideNet}.1/24"));
        await bed.Http.AddPortAsync("r1", "p3", RouterTopology.RouterPort($"10.{n}.3.1/24"));
        await bed.Http.CreateModuleAsync("n1", "nat", hook);
        await bed.Http.AddPortAsync("n1", "in", new JsonObject { ["role"] = "inside" });
        await bed.Http.AddPortAsync("n1", "out", new JsonObject { ["role"] = "outside", ["address"] = $"{outsideNet}.1" });
        await bed.Http.LinkAsync("r1:p1", a.Veth.NetdevRef);
        await bed.Http.LinkAsync("r1:p3", b.Veth.NetdevRef);
        await bed.Http.LinkAsync("r1:p2", "n1:in");
        await bed.Http.LinkAsync("n1:out", outside.Veth.NetdevRef);
        return new NatTopology(a, b, outside, outsideNet);
    }

    public static Task<JsonNode> AddRuleAsync(HttpClient http, JsonObject rule) => http.CreateAsync("modules/n1/tables/rules/entries", rule);
}
