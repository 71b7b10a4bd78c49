using System.Text.Json;
using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>Sets the given columns of every row matching <paramref name="Where"/>.</summary>
public sealed record UpdateOperation(
    string TableName,
    IReadOnlyList<OvsdbCondition> Where,
    IReadOnlyDictionary<string, OvsdbValue> Row) : OvsdbOperation
{
    public override string Op => "update";

    public override string Table => TableName;

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
        WriteWhere(writer, Where);
        WriteRow(writer, "row", Row);
    }
}
