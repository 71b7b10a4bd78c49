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
        foreach (var ns in new[] { SenderNs, ReceiverNs })
        {
            Shell.Run("ip", $"-n {ns} link set eth0 up");
            Shell.Run("ip", $"-n {ns} link set lo up");
        }
        Shell.Run("ip", $"link set {HostIn} up");
        Shell.Run("ip", $"link set {HostOut} up");

        SenderMac = Mac(SenderNs);
        ReceiverMac = Mac(ReceiverNs);
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
    public int SenderIfindex { get; }
    public int ReceiverIfindex { get; }
    public int HostInIfindex { get; }
    public int HostOutIfindex { get; }

    public static string Format(byte[] mac) => string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static byte[] Mac(string ns) =>
        Convert.FromHexString(Shell.Run("ip", $"netns exec {ns} cat /sys/class/net/eth0/address").Trim().Replace(":", "", StringComparison.Ordinal));

    /// <summary>A 64-byte IPv4/UDP frame from the sender to the receiver (no FCS).</summary>
    public byte[] Frame()
    {
        var f = new byte[64];
        ReceiverMac.CopyTo(f, 0);
        SenderMac.CopyTo(f, 6);
        f[12] = 0x08; // IPv4
        f[13] = 0x00;
        var ip = f.AsSpan(14, 20);
        ip[0] = 0x45;
        ip[2] = 0;
        ip[3] = 50; // 64 - 14
        ip[8] = 64; // TTL
        ip[9] = 17; // UDP
        byte[] src = [10, 77, 0, 1], dst = [10, 77, 0, 2];
        src.CopyTo(ip[12..]);
        dst.CopyTo(ip[16..]);
        uint sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += (uint)((ip[i] << 8) | ip[i + 1]);
        }
        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        ushort csum = (ushort)~sum;
        ip[10] = (byte)(csum >> 8);
        ip[11] = (byte)csum;
        var udp = f.AsSpan(34, 8);
        udp[0] = 0x13; // port 5000
        udp[1] = 0x88;
        udp[2] = 0x13; // port 5001
        udp[3] = 0x89;
        udp[4] = 0;
        udp[5] = 30; // 64 - 34
        // UDP checksum 0: none.
        return f;
    }
}
