using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace IoVisor.Ovsdb.Data;

/// <summary>One row as the cache holds it: its UUID and an immutable dictionary of the monitored
/// columns. Two rows are equal when they have the same UUID and the same column values.</summary>
public sealed class OvsdbRow : IEquatable<OvsdbRow>
{
    public OvsdbRow(Guid uuid, ImmutableDictionary<string, OvsdbValue> columns)
    {
        Uuid = uuid;
        Columns = columns;
    }

    public Guid Uuid { get; }

    public ImmutableDictionary<string, OvsdbValue> Columns { get; }

    /// <summary>A monitored column's value; throws naming the column when it is not in the row.</summary>
    public OvsdbValue this[string column] =>
        Columns.TryGetValue(column, out var value)
            ? value
            : throw new KeyNotFoundException($"the row {Uuid} has no column {column} (is it monitored?)");

    public bool TryGetValue(string column, [MaybeNullWhen(false)] out OvsdbValue value) =>
        Columns.TryGetValue(column, out value);

    public OvsdbRow With(ImmutableDictionary<string, OvsdbValue> columns) => new(Uuid, columns);

    public bool Equals(OvsdbRow? other) =>
        other is not null && other.Uuid == Uuid && other.Columns.Count == Columns.Count &&
        Columns.All(c => other.Columns.TryGetValue(c.Key, out var v) && v.Equals(c.Value));

    public override bool Equals(object? obj) => obj is OvsdbRow row && Equals(row);

    public override int GetHashCode() => Uuid.GetHashCode();

    public override string ToString() =>
        $"{Uuid} {{{string.Join(", ", Columns.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))}}}";
}
