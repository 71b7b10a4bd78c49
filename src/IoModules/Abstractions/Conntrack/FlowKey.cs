using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IoVisor.IoModules.Conntrack;

/// <summary>One direction of a flow in the form users read and write:
/// <c>tcp 10.0.0.1:40000 > 10.0.0.2:80</c>, <c>icmp 10.0.0.1 > 10.0.0.2 id 7</c>.</summary>
public readonly partial record struct FlowKey(byte Proto, Ipv4Address Source, ushort SourcePort, Ipv4Address Destination, ushort DestinationPort)
{
    public static FlowKey FromKernel(CtKey k) => new(k.Proto, Ipv4Address.FromKernel(k.Saddr), Port(k.Sport), Ipv4Address.FromKernel(k.Daddr), Port(k.Dport));

    public CtKey ToKernel() => new()
    {
        Proto = Proto,
        Saddr = Source.ToKernel(),
        Daddr = Destination.ToKernel(),
        Sport = Port(SourcePort),
        Dport = Port(DestinationPort),
    };

    public FlowKey Reversed => new(Proto, Destination, DestinationPort, Source, SourcePort);

    public static string ProtoName(byte proto) => proto switch
    {
        CtAbi.ProtoTcp => "tcp",
        CtAbi.ProtoUdp => "udp",
        CtAbi.ProtoIcmp => "icmp",
        _ => proto.ToString(CultureInfo.InvariantCulture),
    };

    public static bool TryParse(string? text, out FlowKey key)
    {
        key = default;
        var m = text is null ? null : Pattern().Match(text.Trim());
        if (m is null || !m.Success)
        {
            return false;
        }
        byte proto = m.Groups["proto"].Value switch { "tcp" => CtAbi.ProtoTcp, "udp" => CtAbi.ProtoUdp, _ => CtAbi.ProtoIcmp };
        if (!Ipv4Address.TryParse(m.Groups["src"].Value, out var src) || !Ipv4Address.TryParse(m.Groups["dst"].Value, out var dst))
        {
            return false;
        }
        if (proto == CtAbi.ProtoIcmp)
        {
            if (!m.Groups["id"].Success || m.Groups["sport"].Success || m.Groups["dport"].Success
                || !ushort.TryParse(m.Groups["id"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return false;
            }
            key = new FlowKey(proto, src, id, dst, id);
            return true;
        }
        if (m.Groups["id"].Success || !m.Groups["sport"].Success || !m.Groups["dport"].Success
            || !ushort.TryParse(m.Groups["sport"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var sport)
            || !ushort.TryParse(m.Groups["dport"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var dport))
        {
            return false;
        }
        key = new FlowKey(proto, src, sport, dst, dport);
        return true;
    }

    public override string ToString() => Proto == CtAbi.ProtoIcmp
        ? string.Create(CultureInfo.InvariantCulture, $"icmp {Source} > {Destination} id {SourcePort}")
        : string.Create(CultureInfo.InvariantCulture, $"{ProtoName(Proto)} {Source}:{SourcePort} > {Destination}:{DestinationPort}");

    private static ushort Port(ushort kernel) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(kernel) : kernel;

    [GeneratedRegex(@"^(?<proto>tcp|udp|icmp) (?<src>[0-9.]+)(:(?<sport>\d+))? > (?<dst>[0-9.]+)(:(?<dport>\d+))?( id (?<id>\d+))?$")]
    private static partial Regex Pattern();
}
