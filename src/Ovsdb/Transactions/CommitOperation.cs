using System.Text.Json;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>With <paramref name="Durable"/>, the transaction succeeds only once it is on disk.</summary>
public sealed record CommitOperation(bool Durable) : OvsdbOperation
{
    public override string Op => "commit";

    private protected override void WriteMembers(Utf8JsonWriter writer) => writer.WriteBoolean("durable", Durable);
}
