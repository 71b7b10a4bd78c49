namespace IoVisor.Hover.Client;

/// <summary>What applying a chain changed, in the order it was done; empty <paramref name="Changes"/> when the daemon already matched the spec.</summary>
public sealed record ChainApplyResult(string Name, IReadOnlyList<ChainChange> Changes);

/// <summary>One change made by applying a chain.</summary>
/// <param name="Action">create, update or delete.</param>
/// <param name="Kind">module, port, link or entry.</param>
/// <param name="Id">The object: module "br1", port "br1:p1", link "l3", entry "br1/fdb/02:00:00:00:00:01@1".</param>
public sealed record ChainChange(string Action, string Kind, string Id);
