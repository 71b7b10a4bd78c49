using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Conntrack;

/// <summary>The "conntrack" object of a stateful module's config: idle timeouts of tracked
/// connections in seconds by state, defaults as Linux's nf_conntrack (TCP established shortened to
/// RFC 5382's 2 h 4 min), and how many connections the tables hold.</summary>
public sealed record ConntrackSettings(int TcpSyn, int TcpEstablished, int TcpFin, int TcpClose, int Udp, int UdpStream, int Icmp,
    int MaxEntries = CtAbi.Size)
{
    public static ConntrackSettings Default { get; } = new(60, 7440, 120, 10, 30, 120, 30);

    /// <summary>The kernel preallocates every entry of an LRU table (about 270 bytes a connection over
    /// both tables), so an instance that tracks few connections should say so.</summary>
    public const int MinEntries = 1024, MaxMaxEntries = 4 * 1024 * 1024;

    private static readonly string[] Fields = ["tcpSyn", "tcpEstablished", "tcpFin", "tcpClose", "udp", "udpStream", "icmp", "maxEntries"];

    /// <summary>Reads config.conntrack; errors are named config.conntrack.&lt;field&gt;.</summary>
    public static ConntrackSettings Parse(JsonNode? node, ConfigErrors errors)
    {
        if (node is not null and not JsonObject)
        {
            errors.Add("conntrack", "must be an object of timeouts in seconds");
            return Default;
        }
        var sub = new ConfigErrors();
        var reader = new ConfigReader(node as JsonObject, sub);
        reader.RejectUnknown(Fields);
        // At least a second: the datapath reads the timeouts only for connections idle longer
        // (CT_MIN_TIMEOUT_NS in ct_types.h).
        int Read(string name, int fallback) => (int)reader.Integer(name, fallback, 1, 10_000_000);
        var d = Default;
        var result = new ConntrackSettings(Read("tcpSyn", d.TcpSyn), Read("tcpEstablished", d.TcpEstablished), Read("tcpFin", d.TcpFin),
            Read("tcpClose", d.TcpClose), Read("udp", d.Udp), Read("udpStream", d.UdpStream), Read("icmp", d.Icmp),
            (int)reader.Integer("maxEntries", d.MaxEntries, MinEntries, MaxMaxEntries));
        foreach (var e in sub.Items)
        {
            errors.Add($"conntrack.{e.Field}", e.Message);
        }
        return result;
    }

    public JsonObject ToJson() => new()
    {
        ["tcpSyn"] = (long)TcpSyn,
        ["tcpEstablished"] = (long)TcpEstablished,
        ["tcpFin"] = (long)TcpFin,
        ["tcpClose"] = (long)TcpClose,
        ["udp"] = (long)Udp,
        ["udpStream"] = (long)UdpStream,
        ["icmp"] = (long)Icmp,
        ["maxEntries"] = (long)MaxEntries,
    };

    /// <summary>The sizes of the connection tables a module declares with CT_MAPS(<paramref name="prefix"/>).</summary>
    public IReadOnlyDictionary<string, uint> MapSizes(string prefix) => new Dictionary<string, uint>(StringComparer.Ordinal)
    {
        [prefix + "_ct"] = (uint)MaxEntries,
        [prefix + "_ct_reply"] = (uint)MaxEntries,
    };

    public CtTimeouts ToKernel() => new()
    {
        TcpSynNs = Ns(TcpSyn),
        TcpEstablishedNs = Ns(TcpEstablished),
        TcpFinNs = Ns(TcpFin),
        TcpCloseNs = Ns(TcpClose),
        UdpNs = Ns(Udp),
        UdpStreamNs = Ns(UdpStream),
        IcmpNs = Ns(Icmp),
    };

    private static ulong Ns(int seconds) => (ulong)seconds * 1_000_000_000UL;
}
