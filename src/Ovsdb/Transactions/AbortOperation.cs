using System.Text.Json;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>Makes the transaction fail with "aborted" and undoes it.</summary>
public sealed record AbortOperation : OvsdbOperation
{
    public override string Op => "abort";

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
    }
}
