using System.Collections.Immutable;
using System.Text.Json;
using IoVisor.Ovsdb.Schema;

namespace IoVisor.Ovsdb.Data;

/// <summary>Reads RFC 7047 values from JSON. Malformed data is an
/// <see cref="OvsdbProtocolException"/>: it came from the peer.</summary>
internal static class ValueJson
{
    /// <summary>Reads a value of a known column type, normalized as <see cref="OvsdbValue"/>
    /// describes. Element counts are not checked against min/max: an update2 diff may hold more
    /// elements than the column allows.</summary>
    public static OvsdbValue Read(JsonElement json, ColumnType type)
    {
        if (type.IsMap)
        {
            if (!IsTagged(json, "map", out var pairs))
            {
                throw Malformed("a map", json);
            }
            return ReadMap(pairs, type.Key.Type, type.Value!.Type);
        }
        var set = IsTagged(json, "set", out var items)
            ? OvsdbSet.Of(items.EnumerateArray().Select(e => ReadAtom(e, type.Key.Type)))
            : OvsdbSet.Of(ReadAtom(json, type.Key.Type));
        if (!type.IsScalar)
        {
            return set;
        }
        return set.Count == 1 ? set[0] : throw Malformed("exactly one atom", json);
    }

    /// <summary>Reads a value without its type: a bare atom stays an atom, numbers without a
    /// fraction or exponent are integers.</summary>
    public static OvsdbValue Read(JsonElement json)
    {
        if (IsTagged(json, "set", out var items))
        {
            return OvsdbSet.Of(items.EnumerateArray().Select(e => ReadAtom(e, null)));
        }
        if (IsTagged(json, "map", out var pairs))
        {
            return ReadMap(pairs, null, null);
        }
        return ReadAtom(json, null);
    }

    public static OvsdbAtom ReadAtom(JsonElement json, AtomType? type)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String when type is null or AtomType.String:
                return OvsdbAtom.String(json.GetString()!);
            case JsonValueKind.True or JsonValueKind.False when type is null or AtomType.Boolean:
                return OvsdbAtom.Boolean(json.GetBoolean());
            case JsonValueKind.Number when type is AtomType.Real:
                return OvsdbAtom.Real(json.GetDouble());
            case JsonValueKind.Number when type is AtomType.Integer && json.TryGetInt64(out var i):
                return OvsdbAtom.Integer(i);
            case JsonValueKind.Number when type is null:
                return IsIntegerText(json) && json.TryGetInt64(out var n) ? OvsdbAtom.Integer(n) : OvsdbAtom.Real(json.GetDouble());
            case JsonValueKind.Array when type is null or AtomType.Uuid:
                if (IsTagged(json, "uuid", out var u) && u.ValueKind == JsonValueKind.String && Guid.TryParse(u.GetString(), out var uuid))
                {
                    return OvsdbAtom.Uuid(uuid);
                }
                if (IsTagged(json, "named-uuid", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    return OvsdbAtom.NamedUuid(name.GetString()!);
                }
                break;
        }
        throw Malformed(type is null ? "an atom" : $"a {type} atom", json);
    }

    /// <summary>Reads <c>["uuid","..."]</c>, as in insert results.</summary>
    public static Guid ReadUuid(JsonElement json) => ReadAtom(json, AtomType.Uuid).AsUuid;

    private static OvsdbMap ReadMap(JsonElement pairs, AtomType? keyType, AtomType? valueType)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<OvsdbAtom, OvsdbAtom>();
        foreach (var pair in pairs.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
            {
                throw Malformed("a [key, value] pair", pair);
            }
            if (!builder.TryAdd(ReadAtom(pair[0], keyType), ReadAtom(pair[1], valueType)))
            {
                throw Malformed("distinct map keys", pairs);
            }
        }
        return OvsdbMap.FromSorted(builder.ToImmutable());
    }

    private static bool IsTagged(JsonElement json, string tag, out JsonElement body)
    {
        if (json.ValueKind == JsonValueKind.Array && json.GetArrayLength() == 2 &&
            json[0].ValueKind == JsonValueKind.String && json[0].ValueEquals(tag))
        {
            body = json[1];
            return tag is not ("set" or "map") || body.ValueKind == JsonValueKind.Array;
        }
        body = default;
        return false;
    }

    private static bool IsIntegerText(JsonElement json) => json.GetRawText().AsSpan().IndexOfAny(".eE") < 0;

    private static OvsdbProtocolException Malformed(string expected, JsonElement json)
    {
        var text = json.GetRawText();
        return new($"expected {expected}, got {(text.Length > 200 ? text[..200] + "..." : text)}");
    }
}
