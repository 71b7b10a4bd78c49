using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace IoVisor.Ovsdb.Data;

/// <summary>An OVSDB map: distinct keys, each with one value, kept sorted by key.</summary>
public sealed class OvsdbMap : OvsdbValue, IReadOnlyDictionary<OvsdbAtom, OvsdbAtom>
{
    public static readonly OvsdbMap Empty = new(ImmutableSortedDictionary<OvsdbAtom, OvsdbAtom>.Empty);

    private readonly ImmutableSortedDictionary<OvsdbAtom, OvsdbAtom> pairs;

    private OvsdbMap(ImmutableSortedDictionary<OvsdbAtom, OvsdbAtom> pairs) => this.pairs = pairs;

    /// <summary>A map from pairs; a repeated key is an error, as it is for ovsdb-server.</summary>
    public static OvsdbMap Of(IEnumerable<KeyValuePair<OvsdbAtom, OvsdbAtom>> pairs)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<OvsdbAtom, OvsdbAtom>();
        foreach (var (key, value) in pairs)
        {
            if (!builder.TryAdd(key, value))
            {
                throw new ArgumentException($"the key {key} appears twice in a map", nameof(pairs));
            }
        }
        return new(builder.ToImmutable());
    }

    public static OvsdbMap Of(IEnumerable<KeyValuePair<string, string>> pairs) =>
        Of(pairs.Select(p => KeyValuePair.Create(OvsdbAtom.String(p.Key), OvsdbAtom.String(p.Value))));

    internal static OvsdbMap FromSorted(ImmutableSortedDictionary<OvsdbAtom, OvsdbAtom> pairs) => new(pairs);

    internal ImmutableSortedDictionary<OvsdbAtom, OvsdbAtom> Pairs => pairs;

    public int Count => pairs.Count;

    public OvsdbAtom this[OvsdbAtom key] => pairs[key];

    public IEnumerable<OvsdbAtom> Keys => pairs.Keys;

    public IEnumerable<OvsdbAtom> Values => pairs.Values;

    public bool ContainsKey(OvsdbAtom key) => pairs.ContainsKey(key);

    public bool TryGetValue(OvsdbAtom key, [MaybeNullWhen(false)] out OvsdbAtom value) => pairs.TryGetValue(key, out value);

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        writer.WriteStringValue("map");
        writer.WriteStartArray();
        foreach (var (key, value) in pairs)
        {
            writer.WriteStartArray();
            key.WriteTo(writer);
            value.WriteTo(writer);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteEndArray();
    }

    public override bool Equals(OvsdbValue? other) =>
        other is OvsdbMap map && map.pairs.Count == pairs.Count &&
        pairs.Zip(map.pairs).All(p => p.First.Key.Equals(p.Second.Key) && p.First.Value.Equals(p.Second.Value));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in pairs)
        {
            hash.Add(key);
            hash.Add(value);
        }
        return hash.ToHashCode();
    }

    public IEnumerator<KeyValuePair<OvsdbAtom, OvsdbAtom>> GetEnumerator() => pairs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
