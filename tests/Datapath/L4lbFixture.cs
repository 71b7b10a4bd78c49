using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.IoModules.L4lb;

namespace IoVisor.Datapath.Tests;

/// <summary>The load balancer of both hooks, driven by its real control plane
/// (<see cref="L4lbModuleType.Bind"/>): the tests write services and backends through the tables, as the
/// REST API does.</summary>
public sealed class L4lbFixture() : HookPair<L4lbHook>("lb", (hook, root) => new L4lbHook(hook, root));

/// <summary>One hook's balancer at module index <see cref="Module"/>, port 0 the front and port 1
/// the back, each linked to a fake netdev.</summary>
public sealed class L4lbHook : ModuleUnderTest
{
    public const uint Module = 3;
    public const int Front = 0;
    public const int Back = 1;

    public L4lbHook(string hook, string root)
        : base(hook, root, "l4lb", "lb", Module)
    {
        LinkNetdev(Front);
        LinkNetdev(Back);
        Control = Bind(new L4lbModuleType(), new NamedPorts("front", "back"));
        Control.ApplyPort(Front, new JsonObject { ["role"] = "front" });
        Control.ApplyPort(Back, new JsonObject { ["role"] = "back" });
    }

    public IModuleDatapath Control { get; }

    public IModuleTable Services => Control.Table("services");

    public IModuleTable Backends => Control.Table("backends");

    public IModuleTable Sessions => Control.Table("sessions");

    /// <summary>No services, backends or sessions; port counters at zero; the default config.</summary>
    public void Reset(int maglevTableSize = MaglevTable.DefaultSize)
    {
        Sessions.Flush();
        Backends.Flush();
        Services.Flush();
        Control.ApplyConfig(new JsonObject { ["maglevTableSize"] = maglevTableSize });
        ZeroStats(Front);
        ZeroStats(Back);
    }
}
