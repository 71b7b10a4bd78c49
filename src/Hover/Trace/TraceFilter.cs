using System.Buffers.Binary;
using System.Globalization;
using IoVisor.IoModules;
using IoVisor.IoModules.Abi;

namespace IoVisor.Hover.Trace;

/// <summary>
/// A trace filter as users write it — clauses joined by <c>&amp;&amp;</c> (or <c>and</c>), each
/// <c>field == value</c>: <c>ip.src</c>, <c>ip.dst</c>, <c>ip.addr</c> (address or prefix),
/// <c>ip.proto</c> (tcp, udp, icmp or a number), <c>l4.sport</c>, <c>l4.dport</c>, <c>l4.port</c>
/// (also as tcp.* / udp.*, which imply the protocol). Empty: every packet. Compiled into the
/// struct the datapath matches packets against where they enter the graph.
/// </summary>
public static class TraceFilter
{
    private const uint Src = 1, Dst = 2, Addr = 4, Proto = 8, Sport = 16, Dport = 32, Port = 64, Ipv4 = 128;

    public static HoverTraceCfg Compile(string? expression)
    {
        var cfg = new HoverTraceCfg { Enabled = 1 };
        if (string.IsNullOrWhiteSpace(expression))
        {
            return cfg;
        }
        var clauses = expression.Replace(" and ", " && ", StringComparison.OrdinalIgnoreCase).Split("&&");
        foreach (var raw in clauses)
        {
            var parts = raw.Split("==", 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw Bad($"'{raw.Trim()}' is not <field> == <value>");
            }
            Apply(ref cfg, parts[0].ToLowerInvariant(), parts[1]);
        }
        return cfg;
    }

    private static void Apply(ref HoverTraceCfg cfg, string field, string value)
    {
        cfg.Fields |= Ipv4;
        switch (field)
        {
            case "ip.src":
                (cfg.Src, cfg.SrcMask) = Prefix(value);
                cfg.Fields |= Src;
                break;
            case "ip.dst":
                (cfg.Dst, cfg.DstMask) = Prefix(value);
                cfg.Fields |= Dst;
                break;
            case "ip.addr":
                (cfg.Addr, cfg.AddrMask) = Prefix(value);
                cfg.Fields |= Addr;
                break;
            case "ip.proto":
                SetProto(ref cfg, ProtoOf(value));
                break;
            default:
                var dot = field.IndexOf('.', StringComparison.Ordinal);
                var (layer, name) = dot < 0 ? (field, "") : (field[..dot], field[(dot + 1)..]);
                if (layer is not ("l4" or "tcp" or "udp") || name is not ("sport" or "dport" or "port" or "srcport" or "dstport"))
                {
                    throw Bad($"unknown field '{field}'; use ip.src, ip.dst, ip.addr, ip.proto, l4.sport, l4.dport, l4.port (or tcp.*/udp.*)");
                }
                if (layer != "l4")
                {
                    SetProto(ref cfg, layer == "tcp" ? (byte)6 : (byte)17);
                }
                var port = PortOf(value);
                switch (name)
                {
                    case "sport" or "srcport":
                        cfg.Sport = port;
                        cfg.Fields |= Sport;
                        break;
                    case "dport" or "dstport":
                        cfg.Dport = port;
                        cfg.Fields |= Dport;
                        break;
                    default:
                        cfg.Port = port;
                        cfg.Fields |= Port;
                        break;
                }
                break;
        }
    }

    private static void SetProto(ref HoverTraceCfg cfg, byte proto)
    {
        if ((cfg.Fields & Proto) != 0 && cfg.Proto != proto)
        {
            throw Bad("the clauses ask for two different protocols");
        }
        cfg.Proto = proto;
        cfg.Fields |= Proto;
    }

    private static (uint Address, uint Mask) Prefix(string value)
    {
        if (Ipv4Address.TryParse(value, out var host))
        {
            return (host.ToKernel(), uint.MaxValue);
        }
        if (Ipv4Prefix.TryParse(value, out var prefix, out _))
        {
            var mask = new Ipv4Address(prefix.Mask);
            return (prefix.Network.ToKernel(), mask.ToKernel());
        }
        throw Bad($"'{value}' is not an IPv4 address or prefix");
    }

    private static byte ProtoOf(string value) => value.ToLowerInvariant() switch
    {
        "tcp" => 6,
        "udp" => 17,
        "icmp" => 1,
        _ when byte.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => throw Bad($"'{value}' is not a protocol (tcp, udp, icmp or 0-255)"),
    };

    private static ushort PortOf(string value) =>
        ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? (BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(port) : port)
            : throw Bad($"'{value}' is not a port (0-65535)");

    private static ConfigException Bad(string message) => new("filter", message);
}
