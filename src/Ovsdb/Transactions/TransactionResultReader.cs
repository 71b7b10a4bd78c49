using System.Collections.Immutable;
using System.Text.Json;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Schema;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>Reads a transact reply: one result per operation, then possibly extra error entries
/// for the commit. Throws <see cref="OvsdbTransactionException"/> for the first error found.</summary>
internal static class TransactionResultReader
{
    public static IReadOnlyList<OperationResult> Read(JsonElement result, IReadOnlyList<OvsdbOperation> operations, DatabaseSchema schema)
    {
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw new OvsdbProtocolException($"a transact result must be an array, got {result.ValueKind}");
        }
        var index = 0;
        foreach (var entry in result.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                var operation = index < operations.Count ? operations[index] : null;
                throw new OvsdbTransactionException(
                    schema.Name,
                    index,
                    operations.Count,
                    operation is null ? null : operation.Table is null ? operation.Op : $"{operation.Op} on {operation.Table}",
                    error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText(),
                    entry.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.String ? details.GetString() : null);
            }
            index++;
        }
        if (index < operations.Count)
        {
            throw new OvsdbProtocolException($"a transact of {operations.Count} operations got {index} results and no error");
        }
        return [.. operations.Select((op, i) => ReadOne(result[i], op, schema))];
    }

    private static OperationResult ReadOne(JsonElement json, OvsdbOperation operation, DatabaseSchema schema)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return OperationResult.Empty;
        }
        Guid? uuid = json.TryGetProperty("uuid", out var u) ? ValueJson.ReadUuid(u) : null;
        int? count = json.TryGetProperty("count", out var c) ? c.GetInt32() : null;
        IReadOnlyList<ImmutableDictionary<string, OvsdbValue>>? rows = null;
        if (json.TryGetProperty("rows", out var r))
        {
            var table = operation.Table is { } name && schema.Tables.TryGetValue(name, out var t) ? t : null;
            rows = [.. r.EnumerateArray().Select(row => ReadRow(row, table))];
        }
        return new OperationResult(uuid, count, rows);
    }

    private static ImmutableDictionary<string, OvsdbValue> ReadRow(JsonElement row, TableSchema? table) =>
        row.EnumerateObject().ToImmutableDictionary(
            column => column.Name,
            column => table is not null && table.Columns.TryGetValue(column.Name, out var schema)
                ? ValueJson.Read(column.Value, schema.Type)
                : ValueJson.Read(column.Value));
}
