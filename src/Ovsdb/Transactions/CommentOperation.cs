using System.Text.Json;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>Records <paramref name="Comment"/> in the database log with the transaction.</summary>
public sealed record CommentOperation(string Comment) : OvsdbOperation
{
    public override string Op => "comment";

    private protected override void WriteMembers(Utf8JsonWriter writer) => writer.WriteString("comment", Comment);
}
