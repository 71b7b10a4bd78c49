using System.Collections.Immutable;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Schema;

namespace IoVisor.Ovsdb.Caching;

/// <summary>Applies an update2 "modify" difference to one column value (ovsdb-server(7), section
/// 4.1.14). A column that holds at most one element is sent as its new value. For a set, the diff
/// is the symmetric difference: each element flips in or out. For a map, a key not present is
/// added, a key present with the same value is removed, a key present with another value takes
/// the new value.</summary>
internal static class RowDiff
{
    public static OvsdbValue Apply(OvsdbValue old, OvsdbValue diff, ColumnType type)
    {
        if (!type.IsComposite)
        {
            return diff;
        }
        if (type.IsMap)
        {
            return ApplyToMap(AsMap(old), AsMap(diff));
        }
        return ApplyToSet(AsSet(old), AsSet(diff));
    }

    private static OvsdbMap ApplyToMap(OvsdbMap old, OvsdbMap diff)
    {
        var result = old.Pairs.ToBuilder();
        foreach (var (key, value) in diff)
        {
            if (old.TryGetValue(key, out var current) && current.Equals(value))
            {
                result.Remove(key);
            }
            else
            {
                result[key] = value;
            }
        }
        return OvsdbMap.FromSorted(result.ToImmutable());
    }

    private static OvsdbSet ApplyToSet(OvsdbSet old, OvsdbSet diff)
    {
        var result = ImmutableSortedSet.CreateBuilder<OvsdbAtom>();
        result.UnionWith(old);
        result.SymmetricExceptWith(diff);
        return OvsdbSet.Of(result);
    }

    private static OvsdbMap AsMap(OvsdbValue value) =>
        value as OvsdbMap ?? throw new OvsdbProtocolException($"a map diff was sent for the non-map value {value}");

    private static OvsdbSet AsSet(OvsdbValue value) => value switch
    {
        OvsdbSet set => set,
        OvsdbAtom atom => OvsdbSet.Of(atom),
        _ => throw new OvsdbProtocolException($"a set diff was sent for the non-set value {value}"),
    };
}
