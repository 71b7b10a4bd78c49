using IoVisor.OvnBridge.Model;

namespace IoVisor.OvnBridge.Translation;

/// <summary>Collects the rows a translation leaves out, once per row and reason.</summary>
internal sealed class Untranslated
{
    private readonly List<UntranslatedRow> rows = [];
    private readonly HashSet<(Guid, string)> seen = [];

    public IReadOnlyList<UntranslatedRow> Rows => rows;

    public void Add(RowRef row, string reason) => Add(UntranslatedRow.Of(row, reason));

    public void AddPartial(RowRef row, string reason) => Add(UntranslatedRow.Of(row, reason, partial: true));

    public void Add(UntranslatedRow row)
    {
        if (seen.Add((row.Uuid, row.Reason)))
        {
            rows.Add(row);
        }
    }
}
