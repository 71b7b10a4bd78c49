using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Gtp;

/// <summary>One punted GTP message as the `punted` table shows it: when and where it came in, why
/// it was punted (a rule, or the default action), what the datapath parsed (version, type, TEID,
/// sequence number) and its IPv4/UDP addresses read from the captured frame.</summary>
public sealed record PuntSummary(
    long Number, DateTimeOffset Time, string Port, string Reason, string? Rule,
    int Version, int MessageType, uint? Teid, uint? Sequence,
    string? Source, int? SourcePort, string? Destination, int? DestinationPort, int Length)
{
    public const string ReasonRule = "rule";
    public const string ReasonUnmatched = "unmatched";

    private const ushort EthertypeVlan = 0x8100;
    private const ushort EthertypeQinQ = 0x88A8;

    public static PuntSummary Of(long number, DateTimeOffset time, PuntRecord punt, string port, string? rule)
    {
        var words = punt.Words;
        var (source, sourcePort, destination, destinationPort) = Addresses(punt.Frame);
        return new PuntSummary(
            number, time, port, punt.Reason == GtpAbi.PuntRule ? ReasonRule : ReasonUnmatched, rule,
            (int)(words[1] & 0xff), (int)((words[1] >> 8) & 0xff),
            (words[0] & GtpAbi.WordPresent) != 0 ? (uint)words[0] : null,
            (words[2] & GtpAbi.WordPresent) != 0 ? (uint)words[2] : null,
            source, sourcePort, destination, destinationPort, punt.WireLength);
    }

    public JsonObject ToJson() => new()
    {
        ["key"] = Number.ToString(CultureInfo.InvariantCulture),
        ["time"] = Time.ToString("O", CultureInfo.InvariantCulture),
        ["port"] = Port,
        ["reason"] = Reason,
        ["rule"] = Rule,
        ["version"] = Version,
        ["messageType"] = MessageType,
        ["teid"] = Teid,
        ["sequence"] = Sequence,
        ["source"] = Source,
        ["sourcePort"] = SourcePort,
        ["destination"] = Destination,
        ["destinationPort"] = DestinationPort,
        ["length"] = Length,
    };

    /// <summary>IPv4 source and destination and UDP ports of an Ethernet frame with at most one
    /// VLAN tag; nulls where the capture is too short.</summary>
    private static (string?, int?, string?, int?) Addresses(ReadOnlySpan<byte> frame)
    {
        var l3 = EthernetFrame.HeaderLength;
        if (frame.Length >= l3 && EthernetFrame.Ethertype(frame) is EthertypeVlan or EthertypeQinQ)
        {
            l3 += 4;
        }
        if (frame.Length < l3 + 20)
        {
            return (null, null, null, null);
        }
        var source = Ipv4Address.Read(frame[(l3 + 12)..]).ToString();
        var destination = Ipv4Address.Read(frame[(l3 + 16)..]).ToString();
        var l4 = l3 + ((frame[l3] & 0x0f) * 4);
        if (frame.Length < l4 + 4)
        {
            return (source, null, destination, null);
        }
        return (source, BinaryPrimitives.ReadUInt16BigEndian(frame[l4..]), destination, BinaryPrimitives.ReadUInt16BigEndian(frame[(l4 + 2)..]));
    }
}
