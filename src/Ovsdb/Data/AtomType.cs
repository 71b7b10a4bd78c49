namespace IoVisor.Ovsdb.Data;

/// <summary>The kinds of OVSDB atom (RFC 7047 section 5.1). <see cref="NamedUuid"/> never appears
/// in a schema or in data from the server: it only names a row inserted earlier in the same
/// transaction.</summary>
public enum AtomType
{
    Integer,
    Real,
    Boolean,
    String,
    Uuid,
    NamedUuid,
}
