using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.IoModules;
using IoVisor.IoModules.Firewall;

namespace IoVisor.Datapath.Tests;

/// <summary>The firewall of both hooks, bound to its control plane (<see cref="FirewallModuleType.Bind"/>)
/// so that rules reach the maps exactly as the daemon writes them.</summary>
public sealed class FirewallDatapathFixture() : HookPair<FirewallHook>("fw", (hook, root) => new FirewallHook(hook, root));

/// <summary>One hook's firewall at module index 6: port 0 "in" (inside), port 1 "out" (outside), each
/// linked to a fake netdev; its tables, and typed views of the maps the tests read.</summary>
public sealed class FirewallHook : ModuleUnderTest
{
    public const uint Module = 6;
    public const int Inside = 0;
    public const int Outside = 1;
    private static readonly NamedPorts PortNames = new("in", "out");

    public FirewallHook(string hook, string root)
        : base(hook, root, "firewall", "fw", Module)
    {
        Generation = new BpfMap<uint, uint>(Map("fw_gen"));
        Keys = new BpfMap<FwKey, FwVerdict>(Map("fw_keys"));
        Sets = new BpfMap<uint, FwSet>(Map("fw_sets"));
        Firewall = Bind(new FirewallModuleType(), PortNames);
    }

    /// <summary>The control plane; <see cref="Rebind"/> replaces it as a restarted daemon would.</summary>
    public IModuleDatapath Firewall { get; private set; }

    public IModuleTable Rules => Firewall.Table("rules");

    public IModuleTable ConnectionTable => Firewall.Table("connections");

    /// <summary>fw_gen[0]: the version of the rule set in force; the generation is its low bit.</summary>
    public BpfMap<uint, uint> Generation { get; }

    public BpfMap<FwKey, FwVerdict> Keys { get; }

    public BpfMap<uint, FwSet> Sets { get; }

    public uint Version => Generation.TryLookup(0, out var v) ? v : 0;

    /// <summary>A firewall with no rules and no connections; ports as above, the config as given.</summary>
    public void Reset(JsonObject? config = null)
    {
        Rules.Flush();
        ConnectionTable.Flush();
        Reconfigure(config);
        Firewall.ApplyPort(Inside, new JsonObject { ["role"] = "inside" });
        Firewall.ApplyPort(Outside, new JsonObject { ["role"] = "outside" });
        LinkNetdev(Inside);
        LinkNetdev(Outside);
    }

    /// <summary>Applies a module config as the daemon does: normalized first.</summary>
    public void Reconfigure(JsonObject? config) => Firewall.ApplyConfig(new FirewallModuleType().NormalizeConfig(config));

    /// <summary>A new control plane over the same pinned maps: what a restarted daemon binds.</summary>
    public void Rebind() => Firewall = Bind(new FirewallModuleType(), PortNames);

    public JsonObject AddRule(string json) => Rules.Put(null, JsonNode.Parse(json)!.AsObject());

    /// <summary>True when the frame left by the other port, false when it was dropped; anything else fails.</summary>
    public bool Passes(int port, byte[] frame)
    {
        var run = Run(port, frame);
        if (run.Verdict == Redirect)
        {
            Assert.Equal((uint)(1 - port), run.Md.OutPort);
            Assert.Equal(frame, run.DataOut);
            return true;
        }

        Assert.True(run.Verdict == Drop, $"verdict {run.Verdict}: neither a redirect nor a drop");
        return false;
    }
}
