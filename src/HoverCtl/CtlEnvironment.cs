using IoVisor.Hover.Client;

namespace IoVisor.HoverCtl;

/// <summary>What hoverctl runs against: the console and the real daemon in Program, buffers and a stub in tests.</summary>
/// <param name="Connect">Makes the client for the --server URL.</param>
/// <param name="ServerFromEnvironment">The value of HOVER_URL, if set.</param>
public sealed record CtlEnvironment(
    TextReader Input, TextWriter Output, TextWriter Error, Func<Uri, IHoverApi> Connect, string? ServerFromEnvironment)
{
    public const string ServerVariable = "HOVER_URL";
}
