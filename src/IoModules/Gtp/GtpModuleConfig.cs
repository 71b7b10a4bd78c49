using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Gtp;

/// <summary>
/// A GTP matcher's module config: what becomes of well-formed messages no rule matches
/// (<see cref="DefaultAction"/>: drop, forward or punt), of traffic that is not GTP (<see cref="NonGtp"/>:
/// pass to the kernel stack, drop or forward), and of malformed messages (dropped, or handled as
/// non-GTP traffic when <see cref="MalformedPass"/>). Ports are named; one the module does not have
/// makes its action drop until a port of that name exists.
/// </summary>
public sealed record GtpModuleConfig(GtpAction DefaultAction, GtpAction NonGtp, bool MalformedPass)
{
    private const string MalformedDropped = "drop";
    private const string MalformedPassed = "pass";

    public static GtpModuleConfig Default { get; } = Parse(null);

    public static GtpModuleConfig Parse(JsonObject? config)
    {
        var errors = new ConfigErrors("config");
        var reader = new ConfigReader(config, errors);
        reader.RejectUnknown("defaultAction", "nonGtp", "malformed");
        var defaultAction = GtpAction.ReadObject(config?["defaultAction"], errors, "defaultAction",
            GtpAction.Drop, GtpAction.Drop, GtpAction.Forward, GtpAction.Punt);
        var nonGtp = GtpAction.ReadObject(config?["nonGtp"], errors, "nonGtp",
            GtpAction.Pass, GtpAction.Pass, GtpAction.Drop, GtpAction.Forward);
        var malformed = reader.OneOf("malformed", MalformedDropped, MalformedDropped, MalformedPassed);
        errors.ThrowIfAny();
        return new GtpModuleConfig(defaultAction, nonGtp, malformed == MalformedPassed);
    }

    public JsonObject ToJson() => new()
    {
        ["defaultAction"] = DefaultAction.ToJson(),
        ["nonGtp"] = NonGtp.ToJson(),
        ["malformed"] = MalformedPass ? MalformedPassed : MalformedDropped,
    };

    /// <summary>The kernel's gtp_config, with port names resolved by <paramref name="portIndex"/>.</summary>
    public GtpConfig ToKernel(Func<string, int?> portIndex) => new()
    {
        DefaultAction = DefaultAction.KernelAction,
        DefaultPort = PortOf(DefaultAction, portIndex),
        NonGtpAction = NonGtp.KernelAction,
        NonGtpPort = PortOf(NonGtp, portIndex),
        Flags = MalformedPass ? GtpAbi.ConfigMalformedPass : 0,
    };

    private static uint PortOf(GtpAction action, Func<string, int?> portIndex) =>
        action.Port is { } name && portIndex(name) is { } index ? (uint)index : GtpAbi.PortNone;
}
