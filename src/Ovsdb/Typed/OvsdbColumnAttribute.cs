namespace IoVisor.Ovsdb.Typed;

/// <summary>Names the column a constructor parameter maps, when it is not the parameter's name in
/// snake_case.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class OvsdbColumnAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
