namespace IoVisor.Ovsdb.Typed;

/// <summary>Names the table a record maps.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OvsdbTableAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
