using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Schema;

/// <summary>The type of a column's keys or values (RFC 7047 &lt;base-type&gt;): an atomic type
/// with its optional constraints.</summary>
public sealed record BaseType(AtomType Type)
{
    /// <summary>The allowed values, when the schema lists them.</summary>
    public OvsdbSet? Enum { get; init; }

    public long? MinInteger { get; init; }

    public long? MaxInteger { get; init; }

    public double? MinReal { get; init; }

    public double? MaxReal { get; init; }

    public long? MinLength { get; init; }

    public long? MaxLength { get; init; }

    /// <summary>For uuid keys and values: the table the UUIDs refer to.</summary>
    public string? RefTable { get; init; }

    public RefType RefType { get; init; } = RefType.Strong;
}
