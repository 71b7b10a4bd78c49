using System.Text.Json;
using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>One operation of a transact request (RFC 7047 section 5.2). The set of operations is
/// closed: the subclasses in this namespace.</summary>
public abstract record OvsdbOperation
{
    private protected OvsdbOperation()
    {
    }

    /// <summary>The "op" name, as errors report it.</summary>
    public abstract string Op { get; }

    /// <summary>The table the operation works on, when it has one; results are read with its
    /// schema.</summary>
    public virtual string? Table => null;

    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("op", Op);
        if (Table is not null)
        {
            writer.WriteString("table", Table);
        }
        WriteMembers(writer);
        writer.WriteEndObject();
    }

    private protected abstract void WriteMembers(Utf8JsonWriter writer);

    private protected static void WriteRow(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, OvsdbValue> row)
    {
        writer.WriteStartObject(name);
        foreach (var (column, value) in row)
        {
            writer.WritePropertyName(column);
            value.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    private protected static void WriteWhere(Utf8JsonWriter writer, IReadOnlyList<OvsdbCondition> where)
    {
        writer.WritePropertyName("where");
        OvsdbCondition.WriteAll(writer, where);
    }

    private protected static void WriteColumns(Utf8JsonWriter writer, IReadOnlyList<string> columns)
    {
        writer.WriteStartArray("columns");
        foreach (var column in columns)
        {
            writer.WriteStringValue(column);
        }
        writer.WriteEndArray();
    }
}
