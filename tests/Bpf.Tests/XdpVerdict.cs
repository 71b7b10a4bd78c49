namespace IoVisor.Bpf.Tests;

/// <summary>enum xdp_action.</summary>
internal static class XdpVerdict
{
    public const uint Aborted = 0;
    public const uint Drop = 1;
    public const uint Pass = 2;
    public const uint Tx = 3;
}
