using System.Text.Json;
using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>Inserts a row. <paramref name="UuidName"/> lets later operations of the same
/// transaction refer to the new row as <c>["named-uuid", name]</c>; <paramref name="Uuid"/>
/// (OVS 2.13 and later) chooses the row's UUID instead of letting the server pick one.</summary>
public sealed record InsertOperation(
    string TableName,
    IReadOnlyDictionary<string, OvsdbValue> Row,
    string? UuidName = null,
    Guid? Uuid = null) : OvsdbOperation
{
    public override string Op => "insert";

    public override string Table => TableName;

    /// <summary>The reference other operations use for this row before it has a UUID.</summary>
    public OvsdbAtom NamedUuid =>
        OvsdbAtom.NamedUuid(UuidName ?? throw new InvalidOperationException("the insert has no uuid-name"));

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
        WriteRow(writer, "row", Row);
        if (UuidName is not null)
        {
            writer.WriteString("uuid-name", UuidName);
        }
        if (Uuid is { } uuid)
        {
            writer.WriteString("uuid", uuid.ToString("D"));
        }
    }
}
