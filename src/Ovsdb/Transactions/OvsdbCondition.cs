using System.Text.Json;
using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>One RFC 7047 &lt;condition&gt;: <c>[column, function, value]</c>. A list of
/// conditions matches the rows that satisfy all of them; an empty list matches every row.</summary>
public sealed record OvsdbCondition(string Column, ConditionFunction Function, OvsdbValue Value)
{
    public static OvsdbCondition Equal(string column, OvsdbValue value) => new(column, ConditionFunction.Equal, value);

    public static OvsdbCondition NotEqual(string column, OvsdbValue value) => new(column, ConditionFunction.NotEqual, value);

    public static OvsdbCondition Includes(string column, OvsdbValue value) => new(column, ConditionFunction.Includes, value);

    public static OvsdbCondition Excludes(string column, OvsdbValue value) => new(column, ConditionFunction.Excludes, value);

    /// <summary>Matches the row with this UUID.</summary>
    public static OvsdbCondition Uuid(Guid uuid) => Equal("_uuid", OvsdbAtom.Uuid(uuid));

    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(Column);
        writer.WriteStringValue(Function switch
        {
            ConditionFunction.LessThan => "<",
            ConditionFunction.LessOrEqual => "<=",
            ConditionFunction.Equal => "==",
            ConditionFunction.NotEqual => "!=",
            ConditionFunction.GreaterOrEqual => ">=",
            ConditionFunction.GreaterThan => ">",
            ConditionFunction.Includes => "includes",
            ConditionFunction.Excludes => "excludes",
            _ => throw new ArgumentOutOfRangeException(nameof(Function), Function, null),
        });
        Value.WriteTo(writer);
        writer.WriteEndArray();
    }

    internal static void WriteAll(Utf8JsonWriter writer, IEnumerable<OvsdbCondition> conditions)
    {
        writer.WriteStartArray();
        foreach (var condition in conditions)
        {
            condition.WriteTo(writer);
        }
        writer.WriteEndArray();
    }
}
