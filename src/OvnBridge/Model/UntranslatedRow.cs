namespace IoVisor.OvnBridge.Model;

/// <summary>A row that is not (or only in part: <paramref name="Partial"/>) in the graph, and why.</summary>
public sealed record UntranslatedRow(string Table, Guid Uuid, string? Name, string Reason, bool Partial = false)
{
    public static UntranslatedRow Of(RowRef row, string reason, bool partial = false) => new(row.Table, row.Uuid, row.Name, reason, partial);
}
