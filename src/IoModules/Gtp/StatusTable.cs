using System.Text.Json.Nodes;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Gtp;

/// <summary>
/// What the matcher saw, by kind: well-formed GTPv1-U and GTPv2-C messages, those no rule matched,
/// non-GTP traffic, and malformed messages by fault, with "malformed" their sum. Read-only:
/// deleting an entry (or flushing the table) zeroes it.
/// </summary>
internal sealed class StatusTable(BpfMap<uint, GtpCount> counters) : IModuleTable
{
    private const string Malformed = "malformed";

    private static readonly (string Key, uint Slot)[] Slots =
    [
        ("gtpv1u", GtpAbi.CounterGtpv1u),
        ("gtpv2c", GtpAbi.CounterGtpv2c),
        ("unmatched", GtpAbi.CounterUnmatched),
        ("nonGtp", GtpAbi.CounterNonGtp),
        ("malformed.truncated", GtpAbi.CounterTruncated),
        ("malformed.version", GtpAbi.CounterBadVersion),
        ("malformed.length", GtpAbi.CounterBadLength),
        ("malformed.protocolType", GtpAbi.CounterBadProtocol),
    ];

    public IReadOnlyList<JsonObject> List()
    {
        var counts = Slots.Select(s => (s.Key, Count: counters.Sum(s.Slot))).ToList();
        var malformed = counts.Where(c => c.Key.StartsWith(Malformed + ".", StringComparison.Ordinal))
            .Aggregate(default(GtpCount), (sum, c) => new GtpCount { Packets = sum.Packets + c.Count.Packets, Bytes = sum.Bytes + c.Count.Bytes });
        return [.. counts.Select(c => ToJson(c.Key, c.Count)), ToJson(Malformed, malformed)];
    }

    public JsonObject? Get(string key) => List().FirstOrDefault(e => e["key"]!.GetValue<string>() == key);

    public JsonObject Put(string? key, JsonObject entry) =>
        throw new ConfigException("table", "status is read-only; it counts what the datapath saw");

    public bool Delete(string key)
    {
        var slots = SlotsOf(key).ToList();
        foreach (var slot in slots)
        {
            counters.Zero(slot);
        }
        return slots.Count > 0;
    }

    public int Flush()
    {
        foreach (var (_, slot) in Slots)
        {
            counters.Zero(slot);
        }
        return Slots.Length;
    }

    private static IEnumerable<uint> SlotsOf(string key) => key == Malformed
        ? Slots.Where(s => s.Key.StartsWith(Malformed + ".", StringComparison.Ordinal)).Select(s => s.Slot)
        : Slots.Where(s => s.Key == key).Select(s => s.Slot);

    private static JsonObject ToJson(string key, GtpCount count) =>
        new() { ["key"] = key, ["packets"] = count.Packets, ["bytes"] = count.Bytes };
}
