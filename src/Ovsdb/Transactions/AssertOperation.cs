using System.Text.Json;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>Fails the transaction with "not owner" unless this connection holds the lock
/// <paramref name="Lock"/>.</summary>
public sealed record AssertOperation(string Lock) : OvsdbOperation
{
    public override string Op => "assert";

    private protected override void WriteMembers(Utf8JsonWriter writer) => writer.WriteString("lock", Lock);
}
