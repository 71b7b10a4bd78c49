using System.Text.Json.Nodes;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// Host A — bridge br1 — custom module c1 — host B, on one /24: A's veth is br1:p1, br1:p2 links to c1:in
/// (port 0), and c1:out (port 1) to B's veth. The example module forwards between its two ports, so A and B
/// reach each other only through both modules.
/// </summary>
public sealed record CustomTopology(Host A, Host B)
{
    public const string Module = "c1";

    public static async Task<CustomTopology> BuildAsync(TestBed bed, string hook, int net, JsonObject config)
    {
        var a = await bed.AddHostAsync($"10.{net}.0.1/24");
        var b = await bed.AddHostAsync($"10.{net}.0.2/24");
        await bed.Http.CreateBridgeAsync("br1", hook);
        await bed.Http.CreateModuleAsync(Module, "custom", hook, config);
        await bed.Http.AddPortAsync("br1", "p1");
        await bed.Http.AddPortAsync("br1", "p2");
        await bed.Http.AddPortAsync(Module, "in");
        await bed.Http.AddPortAsync(Module, "out");
        await bed.Http.LinkAsync("br1:p1", a.Veth.NetdevRef);
        await bed.Http.LinkAsync("br1:p2", $"{Module}:in");
        await bed.Http.LinkAsync($"{Module}:out", b.Veth.NetdevRef);
        return new CustomTopology(a, b);
    }
}
