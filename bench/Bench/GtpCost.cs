using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace IoVisor.Bench;

/// <summary>
/// ns/packet of the GTP matcher's hover_rx on a GTP-U G-PDU that a rule for its TEID forwards,
/// by test run on both hooks: ports "ran" (HostIn) and "upf" (HostOut, whose next hop's MAC the
/// matcher writes into the frame).
/// </summary>
internal sealed class GtpCost(Topology topo, Daemon daemon, Cleanup cleanup, TestRunCost cost, string[] hooks)
{
    public const string HoverRx = "gtp hover_rx, matched GTP-U G-PDU";
    private const uint Teid = 0x1000a;
    private const int GtpUPort = 2152;

    public void Round(Results into)
    {
        var frame = GPdu();
        foreach (var hook in hooks)
        {
            using var gtp = DaemonModule.Create(daemon, cleanup, $"benchg{hook}", "gtp", hook);
            int ran = gtp.AddPort("ran");
            gtp.AddPort("upf", new JsonObject { ["mac"] = Topology.Format(topo.ReceiverMac) });
            gtp.Link("ran", $"netdev:{topo.HostIn}");
            gtp.Link("upf", $"netdev:{topo.HostOut}");
            gtp.AddEntry("rules", new { version = 1, teid = $"0x{Teid:x}", action = "forward", port = "upf" });
            // The matcher writes the same MAC into every frame: repeat N on one buffer is valid.
            into.AddCost(cost.Repeated(gtp, hook, ran, frame, HoverRx));
            into.AddCost(cost.Looped(gtp, hook, ran, frame, HoverRx));
        }
    }

    /// <summary>
    /// A 64-byte G-PDU: the bench's UDP frame to port 2152 both ways, whose 22 bytes of payload
    /// are the 8-byte GTPv1-U header (no optional fields) and 14 bytes of user data. The lengths
    /// and the IPv4 checksum stay right; the UDP checksum stays 0 (none).
    /// </summary>
    private byte[] GPdu()
    {
        const int udp = 34, gtp = 42;
        var f = Frames.Udp(topo.ReceiverMac, topo.SenderMac, Frames.SenderIp, Frames.RoutedReceiverIp);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(udp), GtpUPort);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(udp + 2), GtpUPort);
        f[gtp] = 0x30; // version 1, PT 1, no E, S, PN
        f[gtp + 1] = 255; // G-PDU
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(gtp + 2), Frames.Length - gtp - 8);
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(gtp + 4), Teid);
        return f;
    }
}
