namespace IoVisor.Ovsdb.Schema;

/// <summary>How a uuid column refers to its refTable: a strong reference keeps the row alive and
/// may not dangle; a weak one is removed when the row goes away.</summary>
public enum RefType
{
    Strong,
    Weak,
}
