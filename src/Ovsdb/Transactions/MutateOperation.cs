using System.Text.Json;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>Changes columns of every row matching <paramref name="Where"/> relative to their
/// current values (add to a set, remove a map key, increment a counter).</summary>
public sealed record MutateOperation(
    string TableName,
    IReadOnlyList<OvsdbCondition> Where,
    IReadOnlyList<OvsdbMutation> Mutations) : OvsdbOperation
{
    public override string Op => "mutate";

    public override string Table => TableName;

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
        WriteWhere(writer, Where);
        writer.WriteStartArray("mutations");
        foreach (var mutation in Mutations)
        {
            mutation.WriteTo(writer);
        }
        writer.WriteEndArray();
    }
}
