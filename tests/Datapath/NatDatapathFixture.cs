using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.IoModules;
using IoVisor.IoModules.Nat;

namespace IoVisor.Datapath.Tests;

/// <summary>The NAT of both hooks, bound to its control plane (<see cref="NatModuleType.Bind"/>) so that
/// ports and rules reach the maps exactly as the daemon writes them.</summary>
public sealed class NatDatapathFixture() : HookPair<NatHook>("nat", (hook, root) => new NatHook(hook, root));

/// <summary>One hook's NAT at module index 3: port 0 "in" (inside), port 1 "out" (outside, 192.0.2.1),
/// each linked to a fake netdev; its tables.</summary>
public sealed class NatHook : ModuleUnderTest
{
    public const uint Module = 3;
    public const int Inside = 0;
    public const int Outside = 1;
    public const string OutsideAddress = "192.0.2.1";

    private readonly BpfMap<uint, NatMac> _insideMac;

    public NatHook(string hook, string root)
        : base(hook, root, "nat", "nat", Module)
    {
        _insideMac = new BpfMap<uint, NatMac>(Map("nat_inside_mac"));
        Nat = Bind(new NatModuleType(), new NamedPorts("in", "out"));
    }

    public IModuleDatapath Nat { get; }

    public IModuleTable Rules => Nat.Table("rules");

    public IModuleTable Sessions => Nat.Table("sessions");

    /// <summary>A NAT with no rules, no connections, no learned MAC and zero counters; ports as above,
    /// the module config as given.</summary>
    public void Reset(JsonObject? config = null)
    {
        Rules.Flush();
        Sessions.Flush();
        _insideMac.Update(0, default);
        Nat.ApplyConfig(new NatModuleType().NormalizeConfig(config));
        Nat.ApplyPort(Inside, new JsonObject { ["role"] = "inside" });
        Nat.ApplyPort(Outside, new JsonObject { ["role"] = "outside", ["address"] = OutsideAddress });
        foreach (var port in new[] { Inside, Outside })
        {
            LinkNetdev(port);
            ZeroStats(port);
        }
    }

    public JsonObject AddRule(string json) => Rules.Put(null, JsonNode.Parse(json)!.AsObject());
}
