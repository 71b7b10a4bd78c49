using System.Text.Json;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>Deletes every row matching <paramref name="Where"/>.</summary>
public sealed record DeleteOperation(string TableName, IReadOnlyList<OvsdbCondition> Where) : OvsdbOperation
{
    public override string Op => "delete";

    public override string Table => TableName;

    private protected override void WriteMembers(Utf8JsonWriter writer) => WriteWhere(writer, Where);
}
