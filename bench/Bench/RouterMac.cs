namespace IoVisor.Bench;

/// <summary>The MAC the daemon gave a router port: frames routed through it must be addressed to it.</summary>
internal static class RouterMac
{
    public static byte[] Of(DaemonModule router, string port) =>
        Topology.ParseMac((string)router.Get($"ports/{port}")["config"]!["mac"]!);
}
