using System.Text.Json;
using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>Waits until the <paramref name="Columns"/> of the rows matching
/// <paramref name="Where"/> are (<paramref name="Until"/> "==") or are not ("!=") exactly
/// <paramref name="Rows"/>; fails with "timed out" after <paramref name="Timeout"/> (0: check
/// once). Without a timeout the server waits as long as it takes.</summary>
public sealed record WaitOperation(
    string TableName,
    IReadOnlyList<OvsdbCondition> Where,
    IReadOnlyList<string> Columns,
    WaitUntil Until,
    IReadOnlyList<IReadOnlyDictionary<string, OvsdbValue>> Rows,
    TimeSpan? Timeout = null) : OvsdbOperation
{
    public override string Op => "wait";

    public override string Table => TableName;

    private protected override void WriteMembers(Utf8JsonWriter writer)
    {
        if (Timeout is { } timeout)
        {
            writer.WriteNumber("timeout", (long)timeout.TotalMilliseconds);
        }
        WriteWhere(writer, Where);
        WriteColumns(writer, Columns);
        writer.WriteString("until", Until == WaitUntil.Equal ? "==" : "!=");
        writer.WriteStartArray("rows");
        foreach (var row in Rows)
        {
            writer.WriteStartObject();
            foreach (var (column, value) in row)
            {
                writer.WritePropertyName(column);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
