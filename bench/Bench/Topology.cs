using IoVisor.Bpf;

namespace IoVisor.Bench;

/// <summary>
/// sender netns (eth0) → veth → HostIn | device under test | HostOut → veth → receiver netns (eth0).
/// The device under test lives in the root namespace on the host-side veth ends.
/// </summary>
internal sealed class Topology
{
    public Topology(string rnd, Cleanup cleanup)
    {
        SenderNs = $"iovb-{rnd}-snd";
        ReceiverNs = $"iovb-{rnd}-rcv";
        HostIn = $"iovb{rnd}in";
        HostOut = $"iovb{rnd}out";

        foreach (var ns in new[] { SenderNs, ReceiverNs })
        {
            Shell.Run("ip", $"netns add {ns}");
            // Deleting the namespace destroys its veth end, and so the pair.
            cleanup.Add($"netns {ns}", () => Shell.TryRun("ip", $"netns del {ns}"));
        }
        cleanup.Add("host veths", () =>
        {
            Shell.TryRun("ip", $"link del {HostIn}");
            Shell.TryRun("ip", $"link del {HostOut}");
        });
        Shell.Run("ip", $"link add {HostIn} type veth peer name eth0 netns {SenderNs}");
        Shell.Run("ip", $"link add {HostOut} type veth peer name eth0 netns {ReceiverNs}");
        // No IPv6 on the bench veths: its router solicitations and MLD reports would be stray
        // frames in the counts (a flooding bridge carries them to the receiver).
        File.WriteAllText($"/proc/sys/net/ipv6/conf/{HostIn}/disable_ipv6", "1");
        File.WriteAllText($"/proc/sys/net/ipv6/conf/{HostOut}/disable_ipv6", "1");
        foreach (var ns in new[] { SenderNs, ReceiverNs })
        {
            Shell.Run("ip", $"netns exec {ns} sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1");
            Shell.Run("ip", $"-n {ns} link set eth0 up");
            Shell.Run("ip", $"-n {ns} link set lo up");
        }
        Shell.Run("ip", $"link set {HostIn} up");
        Shell.Run("ip", $"link set {HostOut} up");

        SenderMac = Mac(SenderNs);
        ReceiverMac = Mac(ReceiverNs);
        HostInMac = ParseMac(File.ReadAllText($"/sys/class/net/{HostIn}/address"));
        SenderIfindex = NetNs.Run(SenderNs, () => Netdev.IndexOf("eth0"));
        ReceiverIfindex = NetNs.Run(ReceiverNs, () => Netdev.IndexOf("eth0"));
        HostInIfindex = Netdev.IndexOf(HostIn);
        HostOutIfindex = Netdev.IndexOf(HostOut);
    }

    public string SenderNs { get; }
    public string ReceiverNs { get; }
    public string HostIn { get; }
    public string HostOut { get; }
    public byte[] SenderMac { get; }
    public byte[] ReceiverMac { get; }
    public byte[] HostInMac { get; }
    public int SenderIfindex { get; }
    public int ReceiverIfindex { get; }
    public int HostInIfindex { get; }
    public int HostOutIfindex { get; }

    public static string Format(byte[] mac) => string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    public static byte[] ParseMac(string text) => Convert.FromHexString(text.Trim().Replace(":", "", StringComparison.Ordinal));

    private static byte[] Mac(string ns) => ParseMac(Shell.Run("ip", $"netns exec {ns} cat /sys/class/net/eth0/address"));
}
