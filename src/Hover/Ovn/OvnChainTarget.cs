using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IoVisor.Hover.Graph;
using IoVisor.IoModules;
using IoVisor.IoModules.Abi;
using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Service;

namespace IoVisor.Hover.Ovn;

/// <summary>
/// Puts the OVN bridge's graph into Hover as the chain "ovn": modules, links and entries map one to
/// one onto a <see cref="ChainSpec"/>, so the chain apply does the diffing, the atomicity and the
/// persistence. A refusal names fields by their path in the spec ("modules[3].ports[0].config",
/// "links[2].to"), which is the index of the object in the graph.
/// </summary>
public sealed class OvnChainTarget(GraphService graph) : IGraphTarget
{
    public const string ChainName = "ovn";

    /// <summary>Slot 0 is never used; modules other chains or users own are not ours to take.</summary>
    public int ModuleCapacity
    {
        get
        {
            var state = graph.State;
            var ours = state.Chains.TryGetValue(ChainName, out var chain) ? chain.Modules.Select(m => m.Name).ToHashSet(StringComparer.Ordinal) : [];
            return ChainAbi.MaxModules - 1 - state.Modules.Keys.Count(name => !ours.Contains(name));
        }
    }

    public async Task<GraphApplyOutcome> ApplyAsync(DesiredGraph desired, CancellationToken ct)
    {
        try
        {
            var result = await graph.ApplyChainAsync(ToSpec(desired), ct);
            return GraphApplyOutcome.Applied(result.Changes.Count);
        }
        catch (ConfigException e)
        {
            return GraphApplyOutcome.Refused([.. e.Errors.Select(error => ChainPaths.Rejection(error.Field, error.Message))]);
        }
        catch (ConflictException e)
        {
            return GraphApplyOutcome.Refused([ChainPaths.Rejection(e.Field, e.Message)]);
        }
    }

    // The graph's JSON objects are shared with the bridge, which compares them with the next
    // translation: the chain gets its own copies. The translator hands over the same object while what
    // it was made from is unchanged (a port's firewall rules), so its copy is kept and handed over again:
    // the chain apply then sees the very entry it applied last time and compares nothing.
    private readonly ConditionalWeakTable<JsonObject, JsonObject> _copies = new();

    private JsonObject Copy(JsonObject json) => _copies.GetValue(json, j => j.DeepClone().AsObject());

    private ChainSpec ToSpec(DesiredGraph desired) => new(
        ChainName,
        [.. desired.Modules.Select(m => (ChainModuleSpec?)new ChainModuleSpec(m.Name, m.Type, m.Hook, Copy(m.Config),
            [.. m.Ports.Select(p => (ChainPortSpec?)new ChainPortSpec(p.Name, Copy(p.Config)))]))],
        [.. desired.Links.Select(l => (ChainLinkSpec?)new ChainLinkSpec(l.From, l.To))],
        [.. desired.Entries.Select(e => (ChainEntrySpec?)new ChainEntrySpec(e.Module, e.Table, e.Key, Copy(e.Entry)))]);
}
