namespace IoVisor.OvnBridge.Model;

/// <summary>The northbound (or Open_vSwitch) row a graph object was made from.</summary>
public sealed record RowRef(string Table, Guid Uuid, string? Name);
