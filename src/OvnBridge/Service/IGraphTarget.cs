using IoVisor.OvnBridge.Model;

namespace IoVisor.OvnBridge.Service;

/// <summary>Where translated graphs go: Hover, which makes its graph exactly the one given,
/// applying only the difference, all or nothing.</summary>
public interface IGraphTarget
{
    /// <summary>How many modules the graph may have: the free module slots plus those the
    /// previous graph holds.</summary>
    int ModuleCapacity { get; }

    /// <summary>Makes the target's graph <paramref name="graph"/>. Either it is applied, or it is
    /// refused as a whole with the objects at fault named (and nothing changed); other failures throw.</summary>
    Task<GraphApplyOutcome> ApplyAsync(DesiredGraph graph, CancellationToken ct);
}

/// <summary>What the target did with a graph.</summary>
/// <param name="Changes">How many objects it created, changed or deleted.</param>
/// <param name="Rejections">Non-empty when the graph was refused; nothing was changed then.</param>
public sealed record GraphApplyOutcome(int Changes, IReadOnlyList<GraphRejection> Rejections)
{
    public static GraphApplyOutcome Applied(int changes) => new(changes, []);

    public static GraphApplyOutcome Refused(IReadOnlyList<GraphRejection> rejections) => new(0, rejections);
}

public enum GraphItemKind
{
    Module,
    Port,
    Link,
    Entry,
}

/// <summary>An object of the graph the target refused: <see cref="DesiredGraph.Modules"/>[Index]
/// (and its <see cref="DesiredModule.Ports"/>[PortIndex] for a port), Links[Index] or Entries[Index].</summary>
public sealed record GraphRejection(GraphItemKind Kind, int Index, int PortIndex, string Message);
