using System.Text.Json.Nodes;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>Two hosts in two subnets (10.N.1.0/24 and 10.N.2.0/24, router at .1, hosts at .2)
/// behind router r1 on one hook: linked directly, or each through its own bridge.</summary>
public sealed class RouterTopology
{
    private RouterTopology(Host left, Host right, string leftNet, string rightNet)
    {
        Left = left;
        Right = right;
        LeftNet = leftNet;
        RightNet = rightNet;
    }

    public Host Left { get; }

    public Host Right { get; }

    /// <summary>"10.N.1" and "10.N.2": the first three octets of each side.</summary>
    public string LeftNet { get; }

    public string RightNet { get; }

    public static async Task<RouterTopology> BuildAsync(TestBed bed, string hook, int n, bool throughBridges, JsonObject? routerConfig = null)
    {
        var (l, r) = ($"10.{n}.1", $"10.{n}.2");
        var left = await bed.AddHostAsync($"{l}.2/24");
        var right = await bed.AddHostAsync($"{r}.2/24");
        foreach (var (host, gateway) in new[] { (left, $"{l}.1"), (right, $"{r}.1") })
        {
            await host.Namespace.ExecCheckedAsync("ip", "route", "add", "default", "via", gateway);
            if (hook == "xdp")
            {
                await host.DisableTxChecksumOffloadAsync();
            }
        }

        await bed.Http.CreateModuleAsync("r1", "router", hook, routerConfig);
        await bed.Http.AddPortAsync("r1", "p1", RouterPort($"{l}.1/24"));
        await bed.Http.AddPortAsync("r1", "p2", RouterPort($"{r}.1/24"));
        if (throughBridges)
        {
            await bed.BuildBridgeAsync("b1", hook, [left]);
            await bed.BuildBridgeAsync("b2", hook, [right]);
            await bed.Http.AddPortAsync("b1", "up");
            await bed.Http.AddPortAsync("b2", "up");
            await bed.Http.LinkAsync("b1:up", "r1:p1");
            await bed.Http.LinkAsync("b2:up", "r1:p2");
        }
        else
        {
            await bed.Http.LinkAsync("r1:p1", left.Veth.NetdevRef);
            await bed.Http.LinkAsync("r1:p2", right.Veth.NetdevRef);
        }
        return new RouterTopology(left, right, l, r);
    }

    public static JsonObject RouterPort(params string[] addresses) =>
        new() { ["addresses"] = new JsonArray(addresses.Select(a => (JsonNode?)a).ToArray()) };
}
