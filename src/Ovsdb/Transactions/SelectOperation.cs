using System.Text.Json;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>Reads the rows matching <paramref name="Where"/>: all their columns, or
/// <paramref name="Columns"/> only.</summary>
public sealed record SelectOperation(
    string TableName,
    IReadOnlyList<OvsdbCondition> Where,
    IReadOnlyList<string>? Columns = null) : OvsdbOperation
{
    public override string Op => "select";

    public override string Table => TableName;

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
        WriteWhere(writer, Where);
        if (Columns is not null)
        {
            WriteColumns(writer, Columns);
        }
    }
}
