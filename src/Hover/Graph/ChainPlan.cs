using System.Text.Json.Nodes;

namespace IoVisor.Hover.Graph;

/// <summary>What applying a chain takes, worked out before anything is touched.</summary>
/// <param name="Steps">In the order they run: removals (links, then entries and ports, then modules),
/// then changes and creations (modules, ports, entries, links). Empty when nothing differs.</param>
/// <param name="Next">The graph once the steps ran, but for the entries they write (their keys come
/// from the tables).</param>
/// <param name="Chain">The chain's new applied spec; entries the steps write get their key then.</param>
public sealed record ChainPlan(IReadOnlyList<ChainStep> Steps, GraphState Next, ChainState Chain);

/// <summary>One kernel step of a chain apply and the change it reports.</summary>
public abstract record ChainStep(ChainChange Change);

public sealed record RemoveLinkStep(LinkState Link) : ChainStep(new ChainChange("delete", "link", Link.Id));

public sealed record DeleteEntryStep(string Module, string Table, string Key)
    : ChainStep(new ChainChange("delete", "entry", $"{Module}/{Table}/{Key}"));

public sealed record RemovePortStep(string Module, PortState Port) : ChainStep(new ChainChange("delete", "port", $"{Module}:{Port.Name}"));

public sealed record DeleteModuleStep(ModuleState Module) : ChainStep(new ChainChange("delete", "module", Module.Name));

public sealed record ConfigureModuleStep(ModuleState Module, JsonObject Config) : ChainStep(new ChainChange("update", "module", Module.Name));

/// <summary>Loads the module with its config; its ports come in their own steps.</summary>
public sealed record CreateModuleStep(ModuleState Module) : ChainStep(new ChainChange("create", "module", Module.Name));

public sealed record ConfigurePortStep(string Module, PortState Port, JsonObject Config)
    : ChainStep(new ChainChange("update", "port", $"{Module}:{Port.Name}"));

public sealed record AddPortStep(string Module, PortState Port) : ChainStep(new ChainChange("create", "port", $"{Module}:{Port.Name}"));

/// <summary>Writes entry <paramref name="Index"/> of the spec; the change's id gets the entry's key once
/// the table has given it.</summary>
public sealed record PutEntryStep(int Index, ChainEntry Entry, string Action)
    : ChainStep(new ChainChange(Action, "entry", $"{Entry.Module}/{Entry.Table}/{Entry.Key ?? $"entries[{Index}]"}"));

public sealed record CreateLinkStep(LinkState Link) : ChainStep(new ChainChange("create", "link", Link.Id));
