namespace IoVisor.Bench;

/// <summary>The 64-byte IPv4/UDP frames (no FCS) the generator sends.</summary>
internal static class Frames
{
    public const int Length = 64;

    public static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    public static readonly byte[] SenderIp = [10, 77, 0, 1];

    /// <summary>The receiver on the sender's own subnet: what bridges carry.</summary>
    public static readonly byte[] BridgedReceiverIp = [10, 77, 0, 2];

    /// <summary>The receiver behind a router, on the subnet of the router's second port.</summary>
    public static readonly byte[] RoutedReceiverIp = [10, 78, 0, 2];

    public static byte[] Udp(byte[] dstMac, byte[] srcMac, byte[] srcIp, byte[] dstIp)
    {
        var f = new byte[Length];
        dstMac.CopyTo(f, 0);
        srcMac.CopyTo(f, 6);
        f[12] = 0x08; // IPv4
        f[13] = 0x00;
        var ip = f.AsSpan(14, 20);
        ip[0] = 0x45;
        ip[2] = 0;
        ip[3] = Length - 14;
        ip[8] = 64; // TTL
        ip[9] = 17; // UDP
        srcIp.CopyTo(ip[12..]);
        dstIp.CopyTo(ip[16..]);
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
        udp[5] = Length - 34;
        // UDP checksum 0: none.
        return f;
    }
}
