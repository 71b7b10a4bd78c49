using System.Text.Json;
using IoVisor.Ovsdb.Schema;
using IoVisor.Ovsdb.Transactions;

namespace IoVisor.Ovsdb.Monitoring;

/// <summary>What to monitor in one table: <paramref name="Columns"/> (null: every column but
/// _uuid and _version), the rows matching <paramref name="Where"/> (null or empty: all rows;
/// needs monitor_cond or newer) and which kinds of change.</summary>
public sealed record MonitorRequest(
    string Table,
    IReadOnlyList<string>? Columns = null,
    IReadOnlyList<OvsdbCondition>? Where = null,
    MonitorSelect? Select = null)
{
    /// <summary>The columns this request monitors in <paramref name="schema"/>.</summary>
    public IReadOnlyList<string> ColumnsIn(DatabaseSchema schema) =>
        Columns ?? [.. schema.Table(Table).DataColumns.Select(c => c.Name)];

    internal void WriteTo(Utf8JsonWriter writer, DatabaseSchema schema, MonitorMethod method)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("columns");
        foreach (var column in ColumnsIn(schema))
        {
            writer.WriteStringValue(column);
        }
        writer.WriteEndArray();
        if (Where is { Count: > 0 })
        {
            if (method == MonitorMethod.Monitor)
            {
                throw new NotSupportedException($"monitoring {Table} with conditions needs monitor_cond or newer");
            }
            writer.WritePropertyName("where");
            OvsdbCondition.WriteAll(writer, Where);
        }
        var select = Select ?? MonitorSelect.All;
        writer.WriteStartObject("select");
        writer.WriteBoolean("initial", select.Initial);
        writer.WriteBoolean("insert", select.Insert);
        writer.WriteBoolean("delete", select.Delete);
        writer.WriteBoolean("modify", select.Modify);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
