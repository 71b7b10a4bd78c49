using System.Collections;
using System.Collections.Immutable;
using System.Text.Json;

namespace IoVisor.Ovsdb.Data;

/// <summary>An OVSDB set: distinct atoms of one type, kept sorted so equal sets have equal
/// contents regardless of the order they were given in.</summary>
public sealed class OvsdbSet : OvsdbValue, IReadOnlyList<OvsdbAtom>
{
    public static readonly OvsdbSet Empty = new(ImmutableArray<OvsdbAtom>.Empty);

    private readonly ImmutableArray<OvsdbAtom> items;

    private OvsdbSet(ImmutableArray<OvsdbAtom> sortedDistinct) => items = sortedDistinct;

    public static OvsdbSet Of(params IEnumerable<OvsdbAtom> atoms) =>
        new([.. atoms.Distinct().Order()]);

    public int Count => items.Length;

    public OvsdbAtom this[int index] => items[index];

    public bool Contains(OvsdbAtom atom) => items.BinarySearch(atom) >= 0;

    /// <summary>Writes <c>["set",[...]]</c>; the single-atom shorthand is only a reading
    /// convenience, the long form is valid for every set.</summary>
    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        writer.WriteStringValue("set");
        writer.WriteStartArray();
        foreach (var atom in items)
        {
            atom.WriteTo(writer);
        }
        writer.WriteEndArray();
        writer.WriteEndArray();
    }

    public override bool Equals(OvsdbValue? other) =>
        other is OvsdbSet set && items.AsSpan().SequenceEqual(set.items.AsSpan());

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var atom in items)
        {
            hash.Add(atom);
        }
        return hash.ToHashCode();
    }

    public ImmutableArray<OvsdbAtom>.Enumerator GetEnumerator() => items.GetEnumerator();

    IEnumerator<OvsdbAtom> IEnumerable<OvsdbAtom>.GetEnumerator() => ((IEnumerable<OvsdbAtom>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)items).GetEnumerator();
}
