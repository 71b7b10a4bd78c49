using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Service;

namespace IoVisor.OvnBridge.Tests.Harness;

/// <summary>A graph target that keeps every graph it is given, and refuses what <see cref="Refuse"/>
/// says (as Hover would name the objects at fault).</summary>
internal sealed class RecordingTarget : IGraphTarget
{
    private readonly List<DesiredGraph> applied = [];

    public int ModuleCapacity { get; set; } = 255;

    public Func<DesiredGraph, IReadOnlyList<GraphRejection>>? Refuse { get; set; }

    public IReadOnlyList<DesiredGraph> Applied
    {
        get
        {
            lock (applied)
            {
                return [.. applied];
            }
        }
    }

    public DesiredGraph? Last => Applied.LastOrDefault();

    public Task<GraphApplyOutcome> ApplyAsync(DesiredGraph graph, CancellationToken ct)
    {
        if (Refuse?.Invoke(graph) is { Count: > 0 } rejections)
        {
            return Task.FromResult(GraphApplyOutcome.Refused(rejections));
        }
        lock (applied)
        {
            applied.Add(graph);
        }
        return Task.FromResult(GraphApplyOutcome.Applied(1));
    }
}
