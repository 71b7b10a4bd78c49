using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.L4lb;

/// <summary>A virtual service as clients address it, written <c>tcp 10.0.0.100:80</c>.</summary>
public readonly partial record struct ServiceKey(byte Proto, Ipv4Address Vip, ushort Port) : IComparable<ServiceKey>
{
    public const string Format = "<tcp|udp> <vip>:<port>";

    public string Protocol => FlowKey.ProtoName(Proto);

    public static bool TryParse(string? text, out ServiceKey key)
    {
        key = default;
        var m = text is null ? null : Pattern().Match(text);
        if (m is null || !m.Success || !Ipv4Address.TryParse(m.Groups["vip"].Value, out var vip)
            || !ushort.TryParse(m.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
        {
            return false;
        }
        key = new ServiceKey(ProtoOf(m.Groups["proto"].Value), vip, port);
        return true;
    }

    public static byte ProtoOf(string protocol) => protocol == "udp" ? CtAbi.ProtoUdp : CtAbi.ProtoTcp;

    public LbServiceKey ToKernel() => new() { Vip = Vip.ToKernel(), Port = Network(Port), Proto = Proto };

    public static ServiceKey FromKernel(LbServiceKey k) => new(k.Proto, Ipv4Address.FromKernel(k.Vip), Network(k.Port));

    /// <summary>A port between host order and the order a map holds it in (a swap both ways).</summary>
    public static ushort Network(ushort port) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(port) : port;

    public int CompareTo(ServiceKey other) =>
        (Vip.Value, Port, Proto).CompareTo((other.Vip.Value, other.Port, other.Proto));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Protocol} {Vip}:{Port}");

    [GeneratedRegex(@"^(?<proto>tcp|udp) (?<vip>[0-9.]+):(?<port>\d{1,5})$")]
    private static partial Regex Pattern();
}
