using System.Buffers.Binary;

namespace IoVisor.IoModules;

/// <summary>ARP for IPv4 over Ethernet (RFC 826).</summary>
public static class ArpFrame
{
    public const int Length = EthernetFrame.HeaderLength + 28;
    private static readonly MacAddress Broadcast = new(0xffff_ffff_ffffUL);

    /// <summary>A broadcast request "who has <paramref name="target"/>, tell <paramref name="senderIp"/>".</summary>
    public static byte[] Request(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address target)
    {
        var frame = new byte[Length];
        EthernetFrame.WriteHeader(frame, Broadcast, senderMac, EthernetFrame.EthertypeArp);
        var arp = frame.AsSpan(EthernetFrame.HeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], EthernetFrame.EthertypeIpv4);
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], 1);
        senderMac.CopyTo(arp[8..]);
        senderIp.Write(arp[14..]);
        target.Write(arp[24..]);
        return frame;
    }
}
