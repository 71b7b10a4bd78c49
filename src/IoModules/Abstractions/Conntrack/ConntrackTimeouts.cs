using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Conntrack;

/// <summary>Idle timeouts of tracked connections, the "conntrack" object of a stateful module's
/// config: seconds by state, defaults as Linux's nf_conntrack (TCP established shortened to RFC
/// 5382's 2 h 4 min).</summary>
public sealed record ConntrackTimeouts(int TcpSyn, int TcpEstablished, int TcpFin, int TcpClose, int Udp, int UdpStream, int Icmp)
{
    public static ConntrackTimeouts Default { get; } = new(60, 7440, 120, 10, 30, 120, 30);

    private static readonly string[] Fields = ["tcpSyn", "tcpEstablished", "tcpFin", "tcpClose", "udp", "udpStream", "icmp"];

    /// <summary>Reads config.conntrack; errors are named config.conntrack.&lt;field&gt;.</summary>
    public static ConntrackTimeouts Parse(JsonNode? node, ConfigErrors errors)
    {
        if (node is not null and not JsonObject)
        {
            errors.Add("conntrack", "must be an object of timeouts in seconds");
            return Default;
        }
        var sub = new ConfigErrors();
        var reader = new ConfigReader(node as JsonObject, sub);
        reader.RejectUnknown(Fields);
        int Read(string name, int fallback) => (int)reader.Integer(name, fallback, 1, 10_000_000);
        var d = Default;
        var result = new ConntrackTimeouts(Read("tcpSyn", d.TcpSyn), Read("tcpEstablished", d.TcpEstablished), Read("tcpFin", d.TcpFin),
            Read("tcpClose", d.TcpClose), Read("udp", d.Udp), Read("udpStream", d.UdpStream), Read("icmp", d.Icmp));
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
