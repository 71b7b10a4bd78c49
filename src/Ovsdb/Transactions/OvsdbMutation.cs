using System.Text.Json;
using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>One RFC 7047 &lt;mutation&gt;: <c>[column, mutator, value]</c>. For delete on a map
/// the value may be a set of keys or a map of key/value pairs to remove.</summary>
public sealed record OvsdbMutation(string Column, Mutator Mutator, OvsdbValue Value)
{
    public static OvsdbMutation Insert(string column, OvsdbValue value) => new(column, Mutator.Insert, value);

    public static OvsdbMutation Delete(string column, OvsdbValue value) => new(column, Mutator.Delete, value);

    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(Column);
        writer.WriteStringValue(Mutator switch
        {
            Mutator.Add => "+=",
            Mutator.Subtract => "-=",
            Mutator.Multiply => "*=",
            Mutator.Divide => "/=",
            Mutator.Modulo => "%=",
            Mutator.Insert => "insert",
            Mutator.Delete => "delete",
            _ => throw new ArgumentOutOfRangeException(nameof(Mutator), Mutator, null),
        });
        Value.WriteTo(writer);
        writer.WriteEndArray();
    }
}
