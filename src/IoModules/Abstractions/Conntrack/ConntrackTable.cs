using System.Text.Json.Nodes;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Conntrack;

/// <summary>
/// A stateful module's connections over REST: listed, deleted one by one or flushed, never
/// written (the datapath opens them). Keys are the original direction, "tcp 10.0.0.1:40000 >
/// 10.0.0.2:80". <paramref name="describe"/> adds what the module keeps in the entry's data words.
/// </summary>
public sealed class ConntrackTable(
    BpfMap<CtKey, CtEntry> connections,
    BpfMap<CtKey, CtKey> replies,
    BpfMap<uint, CtTimeouts> timeouts,
    Action<CtEntry, JsonObject>? describe = null) : IModuleTable
{
    public IReadOnlyList<JsonObject> List()
    {
        var now = MonotonicClock.Nanoseconds();
        var t = Timeouts();
        return connections.Entries()
            .Where(e => !IsExpired(e.Value, t, now))
            .Select(e => ToJson(e.Key, e.Value, t, now))
            .ToList();
    }

    public JsonObject? Get(string key)
    {
        var k = ParseKey(key);
        var now = MonotonicClock.Nanoseconds();
        return connections.TryLookup(k, out var e) && !IsExpired(e, Timeouts(), now) ? ToJson(k, e, Timeouts(), now) : null;
    }

    public JsonObject Put(string? key, JsonObject entry) =>
        throw new ConfigException("key", "connections are opened by traffic; they can be listed, deleted and flushed");

    public bool Delete(string key)
    {
        var k = ParseKey(key);
        if (!connections.TryLookup(k, out var e))
        {
            return false;
        }
        replies.Delete(e.Reply);
        return connections.Delete(k);
    }

    public int Flush()
    {
        var count = 0;
        foreach (var (k, e) in connections.Entries().ToList())
        {
            replies.Delete(e.Reply);
            count += connections.Delete(k) ? 1 : 0;
        }
        foreach (var k in replies.Keys().ToList())
        {
            replies.Delete(k);
        }
        return count;
    }

    /// <summary>Deletes connections idle longer than their timeout, and reply keys whose
    /// connection is gone (LRU eviction takes one half of a pair at a time).</summary>
    public void RemoveExpired()
    {
        var now = MonotonicClock.Nanoseconds();
        var t = Timeouts();
        foreach (var (k, e) in connections.Entries().ToList())
        {
            if (IsExpired(e, t, now))
            {
                replies.Delete(e.Reply);
                connections.Delete(k);
            }
        }
        foreach (var (reply, orig) in replies.Entries().ToList())
        {
            if (!connections.TryLookup(orig, out var e) || !e.Reply.Equals(reply))
            {
                replies.Delete(reply);
            }
        }
    }

    private CtTimeouts Timeouts() => timeouts.TryLookup(0, out var t) ? t : ConntrackSettings.Default.ToKernel();

    private static ulong TimeoutOf(CtEntry e, CtTimeouts t) => e.TcpState switch
    {
        1 or 2 => t.TcpSynNs,
        3 => t.TcpEstablishedNs,
        4 => t.TcpFinNs,
        5 => t.TcpCloseNs,
        _ when e.Reply.Proto == CtAbi.ProtoIcmp => t.IcmpNs,
        _ => (e.Flags & CtAbi.FlagSeenReply) != 0 ? t.UdpStreamNs : t.UdpNs,
    };

    private static bool IsExpired(CtEntry e, CtTimeouts t, ulong now) =>
        now > e.LastSeenNs && now - e.LastSeenNs > TimeoutOf(e, t);

    private static string StateOf(CtEntry e) => e.TcpState switch
    {
        1 => "synSent",
        2 => "synReceived",
        3 => "established",
        4 => "finWait",
        5 => "closed",
        _ => (e.Flags & CtAbi.FlagSeenReply) != 0 ? "replied" : "unreplied",
    };

    private JsonObject ToJson(CtKey key, CtEntry e, CtTimeouts t, ulong now)
    {
        var orig = FlowKey.FromKernel(key);
        var idle = now > e.LastSeenNs ? now - e.LastSeenNs : 0;
        var json = new JsonObject
        {
            ["key"] = orig.ToString(),
            ["proto"] = FlowKey.ProtoName(orig.Proto),
            ["src"] = orig.Source.ToString(),
            ["sport"] = orig.SourcePort,
            ["dst"] = orig.Destination.ToString(),
            ["dport"] = orig.DestinationPort,
            ["reply"] = FlowKey.FromKernel(e.Reply).ToString(),
            ["state"] = StateOf(e),
            ["ageSeconds"] = (long)((now > e.CreatedNs ? now - e.CreatedNs : 0) / 1_000_000_000UL),
            ["expiresInSeconds"] = (long)((TimeoutOf(e, t) - Math.Min(idle, TimeoutOf(e, t))) / 1_000_000_000UL),
            ["packets"] = new JsonObject { ["orig"] = e.PacketsOrig, ["reply"] = e.PacketsReply },
            ["bytes"] = new JsonObject { ["orig"] = e.BytesOrig, ["reply"] = e.BytesReply },
        };
        describe?.Invoke(e, json);
        return json;
    }

    private static CtKey ParseKey(string key) => FlowKey.TryParse(key, out var k)
        ? k.ToKernel()
        : throw new ConfigException("key", "must be a flow like \"tcp 10.0.0.1:40000 > 10.0.0.2:80\" or \"icmp 10.0.0.1 > 10.0.0.2 id 7\"");
}
