using System.Buffers.Binary;
using IoVisor.IoModules;

namespace IoVisor.Hover.Trace;

/// <summary>The first bytes of a frame in one line, tcpdump-like: "tcp 10.0.0.1:40000 > 10.0.0.2:80 [S]".</summary>
public static class FrameSummary
{
    public static string Of(ReadOnlySpan<byte> head)
    {
        if (head.Length < EthernetFrame.HeaderLength)
        {
            return "truncated";
        }
        var type = EthernetFrame.Ethertype(head);
        var rest = head[EthernetFrame.HeaderLength..];
        if (type == 0x8100 && rest.Length >= 4)
        {
            var vid = BinaryPrimitives.ReadUInt16BigEndian(rest) & 0x0fff;
            type = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            return $"vlan {vid} " + Payload(type, rest[4..], head);
        }
        return Payload(type, rest, head);
    }

    private static string Payload(ushort type, ReadOnlySpan<byte> p, ReadOnlySpan<byte> frame)
    {
        if (type == EthernetFrame.EthertypeArp && p.Length >= 28)
        {
            var op = BinaryPrimitives.ReadUInt16BigEndian(p[6..]);
            var sender = Ipv4Address.Read(p[14..]);
            var target = Ipv4Address.Read(p[24..]);
            return op == 1 ? $"arp who-has {target} tell {sender}" : $"arp {sender} is-at {MacAddress.FromBytes(p[8..])}";
        }
        if (type != EthernetFrame.EthertypeIpv4 || p.Length < 20)
        {
            return $"{EthernetFrame.Source(frame)} > {EthernetFrame.Destination(frame)} type 0x{type:x4}";
        }
        var src = Ipv4Address.Read(p[12..]);
        var dst = Ipv4Address.Read(p[16..]);
        var ttl = p[8];
        var l4 = p[Math.Min(p.Length, (p[0] & 0x0f) * 4)..];
        return p[9] switch
        {
            6 when l4.Length >= 14 => $"tcp {src}:{Port(l4)} > {dst}:{Port(l4[2..])} [{TcpFlags(l4[13])}] ttl {ttl}",
            17 when l4.Length >= 4 => $"udp {src}:{Port(l4)} > {dst}:{Port(l4[2..])} ttl {ttl}",
            1 when l4.Length >= 2 => $"icmp {src} > {dst} type {l4[0]} code {l4[1]} ttl {ttl}",
            var proto => $"ip {src} > {dst} proto {proto} ttl {ttl}",
        };
    }

    private static int Port(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadUInt16BigEndian(b);

    private static string TcpFlags(byte f)
    {
        var s = string.Concat((f & 2) != 0 ? "S" : "", (f & 1) != 0 ? "F" : "", (f & 4) != 0 ? "R" : "", (f & 8) != 0 ? "P" : "", (f & 16) != 0 ? "." : "");
        return s.Length == 0 ? "none" : s;
    }
}
