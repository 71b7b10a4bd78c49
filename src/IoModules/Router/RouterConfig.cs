using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Router;

/// <summary>A router's module config: ARP aging, the ARP hold queue and the ICMP error rate.</summary>
public sealed record RouterConfig(int ArpAgingSeconds, HoldPolicy Hold, int IcmpErrorsPerSecond)
{
    public static RouterConfig Default { get; } = Parse(null);

    public static RouterConfig Parse(JsonObject? config)
    {
        var reader = new ConfigReader(config, new ConfigErrors("config"));
        reader.RejectUnknown("arpAgingSeconds", "holdQueueLength", "arpRetries", "arpRetryIntervalMs", "icmpErrorsPerSecond");
        var aging = reader.Integer("arpAgingSeconds", 300, 0, 1_000_000);
        var queue = reader.Integer("holdQueueLength", 64, 1, 4096);
        var retries = reader.Integer("arpRetries", 3, 0, 10);
        var interval = reader.Integer("arpRetryIntervalMs", 1000, 100, 60_000);
        var icmp = reader.Integer("icmpErrorsPerSecond", 1000, 0, 1_000_000);
        reader.Errors.ThrowIfAny();
        return new RouterConfig((int)aging, new HoldPolicy((int)queue, (int)retries, TimeSpan.FromMilliseconds(interval)), (int)icmp);
    }

    public JsonObject ToJson() => new()
    {
        ["arpAgingSeconds"] = (long)ArpAgingSeconds,
        ["holdQueueLength"] = (long)Hold.QueueLength,
        ["arpRetries"] = (long)Hold.Retries,
        ["arpRetryIntervalMs"] = (long)Hold.Interval.TotalMilliseconds,
        ["icmpErrorsPerSecond"] = (long)IcmpErrorsPerSecond,
    };
}
