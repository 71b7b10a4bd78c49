using System.Text.Json;
using IoVisor.Hover.Graph;
using IoVisor.IoModules;
using IoVisor.IoModules.Bridge;

namespace IoVisor.Hover.Tests;

/// <summary>Chain specs written as the JSON a user sends, and a stand-in for the daemon applying a plan.</summary>
internal static class ChainSpecs
{
    public static ModuleTypeRegistry Types { get; } = new([new BridgeModuleType()]);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static ChainSpec Parse(string json) => JsonSerializer.Deserialize<ChainSpec>(json, Web)!;

    public static ChainState Normalize(string json) => ChainSpecNormalizer.Normalize(Parse(json), Types);

    public static ChainPlan Plan(GraphState state, string json) => ChainPlanner.Plan(state, Normalize(json), Types);

    /// <summary>The state once the plan ran, as the daemon would leave it: entries get the key the bridge
    /// FDB gives them (mac@vlan) and the chain is recorded.</summary>
    public static GraphState Applied(ChainPlan plan)
    {
        var next = plan.Next;
        var entries = plan.Chain.Entries.ToBuilder();
        foreach (var step in plan.Steps.OfType<PutEntryStep>())
        {
            var e = step.Entry;
            var key = $"{e.Entry["mac"]}@{e.Entry["vlan"] ?? 1}";
            var module = next.Modules[e.Module];
            next = next.WithModule(module with { Entries = module.Entries.SetItem(e.Table, module.EntriesOf(e.Table).SetItem(key, e.Entry)) });
            entries[step.Index] = e with { AppliedKey = key };
        }
        return next with { Chains = next.Chains.SetItem(plan.Chain.Name, plan.Chain with { Entries = entries.ToImmutable() }) };
    }

    public static IReadOnlyList<string> Describe(ChainPlan plan) =>
        plan.Steps.Select(s => $"{s.Change.Action} {s.Change.Kind} {s.Change.Id}").ToList();

    public static ConfigException Rejected(Action apply) => Assert.Throws<ConfigException>(apply);

    public static IReadOnlyList<string> Fields(ConfigException e) => e.Errors.Select(x => x.Field).ToList();
}
