using System.Globalization;
using System.Text.Json;

namespace IoVisor.Ovsdb.Data;

/// <summary>One OVSDB atom: integer, real, boolean, string, uuid or named-uuid. Immutable, with
/// value equality and a total order (type first, then value) so sets and maps have one canonical
/// form.</summary>
public sealed class OvsdbAtom : OvsdbValue, IComparable<OvsdbAtom>
{
    private readonly long integer;
    private readonly double real;
    private readonly string? text;
    private readonly Guid uuid;

    private OvsdbAtom(AtomType type, long integer = 0, double real = 0, string? text = null, Guid uuid = default)
    {
        Type = type;
        this.integer = integer;
        this.real = real;
        this.text = text;
        this.uuid = uuid;
    }

    public AtomType Type { get; }

    public static OvsdbAtom Integer(long value) => new(AtomType.Integer, integer: value);

    public static OvsdbAtom Real(double value) =>
        double.IsFinite(value)
            ? new(AtomType.Real, real: value)
            : throw new ArgumentOutOfRangeException(nameof(value), value, "JSON cannot carry NaN or infinities");

    public static OvsdbAtom Boolean(bool value) => new(AtomType.Boolean, integer: value ? 1 : 0);

    public static OvsdbAtom String(string value) => new(AtomType.String, text: value ?? throw new ArgumentNullException(nameof(value)));

    public static OvsdbAtom Uuid(Guid value) => new(AtomType.Uuid, uuid: value);

    /// <summary>A reference to the row an earlier insert in the same transaction named with
    /// uuid-name.</summary>
    public static OvsdbAtom NamedUuid(string name) =>
        new(AtomType.NamedUuid, text: !string.IsNullOrEmpty(name) ? name : throw new ArgumentException("a named-uuid needs a name", nameof(name)));

    /// <summary>The default atom of a type: 0, 0.0, false, "" or the all-zero UUID.</summary>
    public static OvsdbAtom Default(AtomType type) => type switch
    {
        AtomType.Integer => Integer(0),
        AtomType.Real => Real(0),
        AtomType.Boolean => Boolean(false),
        AtomType.String => String(""),
        AtomType.Uuid => Uuid(Guid.Empty),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "named-uuid has no default"),
    };

    public long AsInteger => Type == AtomType.Integer ? integer : throw WrongType(AtomType.Integer);

    public double AsReal => Type == AtomType.Real ? real : throw WrongType(AtomType.Real);

    public bool AsBoolean => Type == AtomType.Boolean ? integer != 0 : throw WrongType(AtomType.Boolean);

    public string AsString => Type == AtomType.String ? text! : throw WrongType(AtomType.String);

    public Guid AsUuid => Type == AtomType.Uuid ? uuid : throw WrongType(AtomType.Uuid);

    public string AsNamedUuid => Type == AtomType.NamedUuid ? text! : throw WrongType(AtomType.NamedUuid);

    public override void WriteTo(Utf8JsonWriter writer)
    {
        switch (Type)
        {
            case AtomType.Integer:
                writer.WriteNumberValue(integer);
                break;
            case AtomType.Real:
                writer.WriteRawValue(FormatReal(real));
                break;
            case AtomType.Boolean:
                writer.WriteBooleanValue(integer != 0);
                break;
            case AtomType.String:
                writer.WriteStringValue(text);
                break;
            case AtomType.Uuid:
                writer.WriteStartArray();
                writer.WriteStringValue("uuid");
                writer.WriteStringValue(uuid.ToString("D"));
                writer.WriteEndArray();
                break;
            case AtomType.NamedUuid:
                writer.WriteStartArray();
                writer.WriteStringValue("named-uuid");
                writer.WriteStringValue(text);
                writer.WriteEndArray();
                break;
        }
    }

    public int CompareTo(OvsdbAtom? other)
    {
        if (other is null)
        {
            return 1;
        }
        if (Type != other.Type)
        {
            return Type.CompareTo(other.Type);
        }
        return Type switch
        {
            AtomType.Integer or AtomType.Boolean => integer.CompareTo(other.integer),
            AtomType.Real => real.CompareTo(other.real),
            AtomType.Uuid => uuid.CompareTo(other.uuid),
            _ => string.CompareOrdinal(text, other.text),
        };
    }

    public override bool Equals(OvsdbValue? other) => other is OvsdbAtom atom && CompareTo(atom) == 0;

    public override int GetHashCode() => Type switch
    {
        AtomType.Integer or AtomType.Boolean => HashCode.Combine(Type, integer),
        AtomType.Real => HashCode.Combine(Type, real),
        AtomType.Uuid => HashCode.Combine(Type, uuid),
        _ => HashCode.Combine(Type, text),
    };

    public static implicit operator OvsdbAtom(string value) => String(value);

    public static implicit operator OvsdbAtom(long value) => Integer(value);

    public static implicit operator OvsdbAtom(double value) => Real(value);

    public static implicit operator OvsdbAtom(bool value) => Boolean(value);

    public static implicit operator OvsdbAtom(Guid value) => Uuid(value);

    // A real that happens to be integral must still read back as a real, so it keeps a decimal point.
    private static string FormatReal(double value)
    {
        var s = value.ToString("R", CultureInfo.InvariantCulture);
        return s.AsSpan().IndexOfAny(".eE") >= 0 ? s : s + ".0";
    }

    private InvalidCastException WrongType(AtomType wanted) =>
        new($"the atom {this} is {Type}, not {wanted}");
}
