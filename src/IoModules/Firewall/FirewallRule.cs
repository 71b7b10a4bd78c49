using System.Text;
using System.Text.Json.Nodes;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.Firewall;

/// <summary>
/// One firewall rule, an OVN ACL: what it matches (every field that is null or empty matches
/// anything), its priority (higher wins) and its action. Ports match only with TCP or UDP, the ICMP
/// type and code only with ICMP, flags only with TCP.
/// </summary>
public sealed record FirewallRule(
    string Key,
    string? Name,
    int Priority,
    RuleDirection Direction,
    RuleAction Action,
    Ipv4Prefix? Source = null,
    Ipv4Prefix? Destination = null,
    byte? Protocol = null,
    PortRange? SourcePorts = null,
    PortRange? DestinationPorts = null,
    byte? IcmpType = null,
    byte? IcmpCode = null,
    TcpFlagMatch? TcpFlags = null,
    ConnectionStates States = ConnectionStates.None)
{
    public const int MaxPriority = 32767;

    /// <summary>The priority, then the action's precedence among equal priorities.</summary>
    public uint Rank => ((uint)Priority << 8) | Action.Precedence();

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["key"] = Key };
        if (Name is not null)
        {
            json["name"] = Name;
        }
        json["priority"] = Priority;
        json["direction"] = Direction.Name();
        json["action"] = Action.Name();
        if (Source is { } src)
        {
            json["src"] = src.ToString();
        }
        if (Destination is { } dst)
        {
            json["dst"] = dst.ToString();
        }
        if (Protocol is { } proto)
        {
            json["protocol"] = proto is CtAbi.ProtoTcp or CtAbi.ProtoUdp or CtAbi.ProtoIcmp ? FlowKey.ProtoName(proto) : JsonValue.Create((int)proto);
        }
        if (SourcePorts is { } sport)
        {
            json["sport"] = sport.ToString();
        }
        if (DestinationPorts is { } dport)
        {
            json["dport"] = dport.ToString();
        }
        if (IcmpType is { } type)
        {
            json["icmpType"] = type;
        }
        if (IcmpCode is { } code)
        {
            json["icmpCode"] = code;
        }
        if (TcpFlags is { } flags)
        {
            json["tcpFlags"] = flags.ToJson();
        }
        if (States != ConnectionStates.None)
        {
            json["ctState"] = new JsonArray(States.Names().Select(n => (JsonNode)JsonValue.Create(n)).ToArray());
        }
        return json;
    }

    public unsafe FwRule ToKernel(uint serial)
    {
        var r = new FwRule
        {
            Serial = serial,
            Priority = (ushort)Priority,
            Direction = (byte)Direction,
            Action = (byte)Action,
            Src = Source?.Network.ToKernel() ?? 0,
            SrcLen = (byte)(Source?.Length ?? 0),
            Dst = Destination?.Network.ToKernel() ?? 0,
            DstLen = (byte)(Destination?.Length ?? 0),
            Proto = Protocol ?? 0,
            CtStates = (byte)States,
            SportLo = SourcePorts?.First ?? 0,
            SportHi = SourcePorts?.Last ?? 0,
            DportLo = DestinationPorts?.First ?? 0,
            DportHi = DestinationPorts?.Last ?? 0,
            IcmpType = IcmpType ?? 0,
            IcmpCode = IcmpCode ?? 0,
            TcpFlags = TcpFlags?.Value ?? 0,
            TcpFlagsMask = TcpFlags?.Mask ?? 0,
            Fields = (byte)((SourcePorts is null ? 0 : FirewallAbi.MatchSport) | (DestinationPorts is null ? 0 : FirewallAbi.MatchDport)
                | (IcmpType is null ? 0 : FirewallAbi.MatchIcmpType) | (IcmpCode is null ? 0 : FirewallAbi.MatchIcmpCode)
                | (Source is null ? 0 : FirewallAbi.MatchSrc) | (Destination is null ? 0 : FirewallAbi.MatchDst)),
        };
        WriteText(Key, new Span<byte>(r.Key, FirewallAbi.TextLength));
        WriteText(Name ?? "", new Span<byte>(r.Name, FirewallAbi.TextLength));
        return r;
    }

    /// <summary>The rule a daemon wrote into a slot; null for a free slot.</summary>
    public static unsafe FirewallRule? FromKernel(FwRule r)
    {
        if (r.Serial == 0)
        {
            return null;
        }
        var name = ReadText(new ReadOnlySpan<byte>(r.Name, FirewallAbi.TextLength));
        return new FirewallRule(
            ReadText(new ReadOnlySpan<byte>(r.Key, FirewallAbi.TextLength)),
            name.Length == 0 ? null : name,
            r.Priority,
            (RuleDirection)r.Direction,
            (RuleAction)r.Action,
            (r.Fields & FirewallAbi.MatchSrc) == 0 ? null : new Ipv4Prefix(Ipv4Address.FromKernel(r.Src), r.SrcLen),
            (r.Fields & FirewallAbi.MatchDst) == 0 ? null : new Ipv4Prefix(Ipv4Address.FromKernel(r.Dst), r.DstLen),
            r.Proto == 0 ? null : r.Proto,
            (r.Fields & FirewallAbi.MatchSport) == 0 ? null : new PortRange(r.SportLo, r.SportHi),
            (r.Fields & FirewallAbi.MatchDport) == 0 ? null : new PortRange(r.DportLo, r.DportHi),
            (r.Fields & FirewallAbi.MatchIcmpType) == 0 ? null : r.IcmpType,
            (r.Fields & FirewallAbi.MatchIcmpCode) == 0 ? null : r.IcmpCode,
            r.TcpFlagsMask == 0 ? null : new TcpFlagMatch(r.TcpFlags, r.TcpFlagsMask),
            (ConnectionStates)r.CtStates);
    }

    private static void WriteText(string text, Span<byte> to)
    {
        to.Clear();
        Encoding.UTF8.GetBytes(text, to[..^1]);
    }

    private static string ReadText(ReadOnlySpan<byte> from)
    {
        var end = from.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? from : from[..end]);
    }
}
