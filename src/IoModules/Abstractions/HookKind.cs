using System.Text.Json.Serialization;

namespace IoVisor.IoModules;

/// <summary>Where a module's program runs: TC (sched_cls) or XDP. Fixed for a module's life.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HookKind>))]
public enum HookKind
{
    [JsonStringEnumMemberName("tc")] Tc,
    [JsonStringEnumMemberName("xdp")] Xdp,
}

public static class HookKindNames
{
    /// <summary>Suffix of the object file built for the hook: bridge.tc.o, bridge.xdp.o.</summary>
    public static string ObjectSuffix(this HookKind hook) => hook == HookKind.Xdp ? "xdp" : "tc";
}
