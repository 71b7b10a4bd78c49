using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Schema;

/// <summary>A column's type (RFC 7047 &lt;type&gt;): a key type, for maps a value type, and the
/// bounds on the number of elements. <see cref="Max"/> is <see cref="int.MaxValue"/> for
/// "unlimited".</summary>
public sealed record ColumnType(BaseType Key, BaseType? Value, int Min, int Max)
{
    public const int Unlimited = int.MaxValue;

    public static ColumnType Scalar(AtomType type) => new(new BaseType(type), null, 1, 1);

    public bool IsMap => Value is not null;

    /// <summary>Exactly one atom: the value is held as an <see cref="OvsdbAtom"/>.</summary>
    public bool IsScalar => Value is null && Min == 1 && Max == 1;

    /// <summary>More than one element allowed: update2 sends such columns as a difference
    /// (ovsdb-server's "composite" types); any other column is sent as its new value.</summary>
    public bool IsComposite => Max > 1;

    /// <summary>The column's value in a row nobody set it in: the empty set or map when it may be
    /// empty, otherwise <see cref="Min"/> copies of the default atom (which is why a set with
    /// min 1 defaults to one element).</summary>
    public OvsdbValue Default
    {
        get
        {
            if (Min == 0)
            {
                return IsMap ? OvsdbMap.Empty : OvsdbSet.Empty;
            }
            var key = OvsdbAtom.Default(Key.Type);
            if (IsMap)
            {
                return OvsdbMap.Of([KeyValuePair.Create(key, OvsdbAtom.Default(Value!.Type))]);
            }
            return IsScalar ? key : OvsdbSet.Of(key);
        }
    }
}
