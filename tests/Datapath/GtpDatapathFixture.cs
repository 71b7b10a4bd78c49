using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.IoModules.Gtp;

namespace IoVisor.Datapath.Tests;

/// <summary>The GTP matcher of both hooks, bound to its control plane (<see cref="GtpModuleType.Bind"/>)
/// so that config, ports and rules reach the maps exactly as the daemon writes them.</summary>
public sealed class GtpDatapathFixture() : HookPair<GtpHook>("gtp", (hook, root) => new GtpHook(hook, root));

/// <summary>One hook's GTP matcher at module index 4 with ports p0..p3, each linked to a fake netdev;
/// its tables, and its slow-path handler fed from the punt ring.</summary>
public sealed class GtpHook : ModuleUnderTest
{
    public const uint Module = 4;
    public const int PortCount = 4;

    public GtpHook(string hook, string root)
        : base(hook, root, "gtp", "gtp", Module)
    {
        Gtp = Bind(new GtpModuleType(), new NamedPorts([.. Enumerable.Range(0, PortCount).Select(p => $"p{p}")]));
    }

    public IModuleDatapath Gtp { get; }

    public IModuleTable Rules => Gtp.Table("rules");

    /// <summary>A matcher with no rules, zero counters, an empty punt log and ring; ports p0..p3 with
    /// the configs given (none: plain), the module config as given.</summary>
    public void Reset(JsonObject? config = null, params JsonObject?[] portConfigs)
    {
        Rules.Flush();
        Gtp.Table("status").Flush();
        Gtp.Table("punted").Flush();
        TakePunts();
        var type = new GtpModuleType();
        for (var port = 0; port < PortCount; port++)
        {
            Gtp.ApplyPort(port, type.NormalizePortConfig(port < portConfigs.Length ? portConfigs[port] : null));
            LinkNetdev(port);
            ZeroStats(port);
        }

        Gtp.ApplyConfig(type.NormalizeConfig(config));
    }

    public JsonObject AddRule(string json) => Rules.Put(null, JsonNode.Parse(json)!.AsObject());

    /// <summary>Every punt record written since the last call, each also handed to the matcher's
    /// slow-path handler as the daemon's dispatcher would.</summary>
    public IReadOnlyList<PuntRecord> TakePunts()
    {
        var taken = Entry.TakePunts().Select(record => PuntRecord.Parse(record)).ToArray();
        foreach (var punt in taken)
        {
            Gtp.SlowPath!.Handle(punt, new NoSlowPath());
        }

        return taken;
    }

    /// <summary>The matcher's handler only records; it never asks the slow path for anything.</summary>
    private sealed class NoSlowPath : ISlowPath
    {
        public void Send(int module, int port, FrameDirection direction, ReadOnlySpan<byte> frame) =>
            throw new InvalidOperationException("the GTP handler sent a frame");

        public void Hold(int module, uint nextHop, int outPort, PuntRecord punt, HoldPolicy policy, INeighbourResolver resolver) =>
            throw new InvalidOperationException("the GTP handler held a packet");

        public void Resolved(int module, uint nextHop) =>
            throw new InvalidOperationException("the GTP handler resolved a next hop");

        public void Dropped(int module, string reason) =>
            throw new InvalidOperationException("the GTP handler dropped a packet");
    }
}
