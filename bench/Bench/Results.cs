namespace IoVisor.Bench;

/// <summary>Names of the delivered-rate cases, as printed.</summary>
internal static class CaseNames
{
    public const string Ceiling = "ceiling (XDP redirect)";
    public const string LinuxBridge = "Linux bridge";
    public const string LinuxForwarding = "Linux IPv4 forwarding";

    public static string IoVisorBridge(string hook) => $"IoVisor bridge {hook.ToUpperInvariant()}";

    public static string IoVisorRouter(string hook) => $"IoVisor router {hook.ToUpperInvariant()}";
}

/// <summary>Every sample of every round, by case, in the order the cases first ran.</summary>
internal sealed class Results
{
    public OrderedDictionary<string, List<double>> Pps { get; } = new();

    public OrderedDictionary<(string Program, string Hook, string Method), List<CostSample>> Costs { get; } = new();

    /// <summary>By hook.</summary>
    public OrderedDictionary<string, List<SlowPathRun>> SlowPath { get; } = new();

    /// <summary>By hook.</summary>
    public OrderedDictionary<string, (List<HoldLatency> Runs, long Held, long Released)> Latency { get; } = new();

    public void AddPps(string caseName, double pps) => Append(Pps, caseName, pps);

    public void AddCost(CostSample cost) => Append(Costs, (cost.Program, cost.Hook, cost.Method), cost);

    public void AddSlowPath(string hook, SlowPathRun run) => Append(SlowPath, hook, run);

    private static void Append<TKey, TValue>(OrderedDictionary<TKey, List<TValue>> samples, TKey key, TValue value)
        where TKey : notnull
    {
        if (!samples.TryGetValue(key, out var list))
        {
            samples[key] = list = [];
        }
        list.Add(value);
    }
}
