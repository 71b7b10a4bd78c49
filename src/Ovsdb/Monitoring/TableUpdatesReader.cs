using System.Collections.Immutable;
using System.Text.Json;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Schema;

namespace IoVisor.Ovsdb.Monitoring;

/// <summary>Reads &lt;table-updates&gt; (monitor, RFC 7047) and &lt;table-updates2&gt;
/// (monitor_cond and monitor_cond_since, ovsdb-server(7)) into <see cref="RowUpdate"/>s.</summary>
internal sealed class TableUpdatesReader(DatabaseSchema schema, IReadOnlyList<MonitorRequest> requests, MonitorMethod method)
{
    private readonly Dictionary<string, IReadOnlyList<string>> monitoredColumns =
        requests.ToDictionary(r => r.Table, r => r.ColumnsIn(schema), StringComparer.Ordinal);

    /// <param name="initial">The updates are the reply to the monitor request, so rows that
    /// already existed.</param>
    public IReadOnlyList<RowUpdate> Read(JsonElement tableUpdates, bool initial)
    {
        if (tableUpdates.ValueKind != JsonValueKind.Object)
        {
            throw new OvsdbProtocolException($"table updates must be an object, got {tableUpdates.ValueKind}");
        }
        var updates = new List<RowUpdate>();
        foreach (var table in tableUpdates.EnumerateObject())
        {
            if (!schema.Tables.TryGetValue(table.Name, out var tableSchema))
            {
                throw new OvsdbProtocolException($"an update names the table {table.Name}, which {schema.Name} does not have");
            }
            foreach (var row in table.Value.EnumerateObject())
            {
                if (!Guid.TryParse(row.Name, out var uuid))
                {
                    throw new OvsdbProtocolException($"an update for {table.Name} names the row \"{row.Name}\", which is not a UUID");
                }
                updates.Add(method == MonitorMethod.Monitor
                    ? ReadUpdate1(tableSchema, uuid, row.Value, initial)
                    : ReadUpdate2(tableSchema, uuid, row.Value));
            }
        }
        return updates;
    }

    // <row-update>: "old" and/or "new". "new" alone is a new row, "old" alone a deletion, both a
    // modification whose "new" carries the new values.
    private RowUpdate ReadUpdate1(TableSchema table, Guid uuid, JsonElement json, bool initial)
    {
        var hasOld = json.TryGetProperty("old", out _);
        var hasNew = json.TryGetProperty("new", out var @new);
        return (hasOld, hasNew) switch
        {
            (false, true) => new(table.Name, uuid, initial ? RowUpdateKind.Initial : RowUpdateKind.Insert, FullRow(table, @new)),
            (true, true) => new(table.Name, uuid, RowUpdateKind.Modify, Columns(table, @new)),
            (true, false) => new(table.Name, uuid, RowUpdateKind.Delete, ImmutableDictionary<string, OvsdbValue>.Empty),
            _ => throw new OvsdbProtocolException($"an update for {table.Name} row {uuid} has neither old nor new"),
        };
    }

    // <row-update2>: exactly one of "initial", "insert", "modify" (a diff) or "delete".
    private RowUpdate ReadUpdate2(TableSchema table, Guid uuid, JsonElement json)
    {
        if (json.TryGetProperty("initial", out var initial))
        {
            return new(table.Name, uuid, RowUpdateKind.Initial, FullRow(table, initial));
        }
        if (json.TryGetProperty("insert", out var insert))
        {
            return new(table.Name, uuid, RowUpdateKind.Insert, FullRow(table, insert));
        }
        if (json.TryGetProperty("modify", out var modify))
        {
            return new(table.Name, uuid, RowUpdateKind.Modify, Columns(table, modify), IsDiff: true);
        }
        if (json.TryGetProperty("delete", out _))
        {
            return new(table.Name, uuid, RowUpdateKind.Delete, ImmutableDictionary<string, OvsdbValue>.Empty);
        }
        throw new OvsdbProtocolException($"an update2 for {table.Name} row {uuid} is none of initial, insert, modify, delete");
    }

    // update2 leaves out columns that hold their default, so a new row is completed here: every
    // cached row has every monitored column.
    private ImmutableDictionary<string, OvsdbValue> FullRow(TableSchema table, JsonElement json)
    {
        var row = Columns(table, json).ToBuilder();
        foreach (var column in monitoredColumns.TryGetValue(table.Name, out var columns) ? columns : [])
        {
            if (!row.ContainsKey(column) && table.Columns.TryGetValue(column, out var schemaColumn))
            {
                row[column] = schemaColumn.Type.Default;
            }
        }
        return row.ToImmutable();
    }

    private static ImmutableDictionary<string, OvsdbValue> Columns(TableSchema table, JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new OvsdbProtocolException($"a row of {table.Name} must be an object, got {json.ValueKind}");
        }
        var row = ImmutableDictionary.CreateBuilder<string, OvsdbValue>(StringComparer.Ordinal);
        foreach (var column in json.EnumerateObject())
        {
            if (!table.Columns.TryGetValue(column.Name, out var schemaColumn))
            {
                throw new OvsdbProtocolException($"an update names the column {table.Name}.{column.Name}, which the schema does not have");
            }
            row[column.Name] = ValueJson.Read(column.Value, schemaColumn.Type);
        }
        return row.ToImmutable();
    }
}
