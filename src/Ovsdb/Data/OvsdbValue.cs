using System.Text.Json;
using IoVisor.Ovsdb.Rpc;
using IoVisor.Ovsdb.Schema;

namespace IoVisor.Ovsdb.Data;

/// <summary>A column value: an <see cref="OvsdbAtom"/>, an <see cref="OvsdbSet"/> or an
/// <see cref="OvsdbMap"/>. Values parsed against a column type are normalized: a column whose type
/// holds exactly one atom holds an atom, any other set column holds a set (also with 0 or 1
/// element), a map column holds a map.</summary>
public abstract class OvsdbValue : IEquatable<OvsdbValue>
{
    private protected OvsdbValue()
    {
    }

    /// <summary>Reads a value from its RFC 7047 JSON form. With the column's type the value is
    /// normalized for that column; without it a bare atom stays an atom.</summary>
    public static OvsdbValue FromJson(JsonElement json, ColumnType? type = null) =>
        type is null ? ValueJson.Read(json) : ValueJson.Read(json, type);

    /// <summary>Writes the RFC 7047 JSON form of the value.</summary>
    public abstract void WriteTo(Utf8JsonWriter writer);

    public abstract bool Equals(OvsdbValue? other);

    public sealed override bool Equals(object? obj) => obj is OvsdbValue other && Equals(other);

    public abstract override int GetHashCode();

    /// <summary>The value's JSON text, as sent on the wire.</summary>
    public sealed override string ToString()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WireFormat.WriterOptions))
        {
            WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static implicit operator OvsdbValue(string value) => OvsdbAtom.String(value);

    public static implicit operator OvsdbValue(long value) => OvsdbAtom.Integer(value);

    public static implicit operator OvsdbValue(double value) => OvsdbAtom.Real(value);

    public static implicit operator OvsdbValue(bool value) => OvsdbAtom.Boolean(value);

    public static implicit operator OvsdbValue(Guid value) => OvsdbAtom.Uuid(value);

    public static bool operator ==(OvsdbValue? left, OvsdbValue? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(OvsdbValue? left, OvsdbValue? right) => !(left == right);
}
