using System.Reflection;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Schema;

namespace IoVisor.Ovsdb.Typed;

/// <summary>Maps rows of one table to a record: <typeparamref name="T"/> carries
/// <see cref="OvsdbTableAttribute"/>, and each parameter of its widest constructor names a column
/// (by <see cref="OvsdbColumnAttribute"/> or as its name in snake_case; <c>Uuid</c> is
/// <c>_uuid</c>). Example:
/// <code>[OvsdbTable("Logical_Switch")]
/// record LogicalSwitch(Guid Uuid, string Name, IReadOnlyList&lt;Guid&gt; Ports, IReadOnlyDictionary&lt;string, string&gt; ExternalIds);</code>
/// </summary>
public sealed class RowMapping<T> where T : class
{
    private static readonly Lazy<RowMapping<T>> Lazy = new(() => new RowMapping<T>());

    private readonly ConstructorInfo constructor;
    private readonly ColumnBinding[] bindings;

    private RowMapping()
    {
        var type = typeof(T);
        Table = type.GetCustomAttribute<OvsdbTableAttribute>()?.Name
            ?? throw new InvalidOperationException($"{type} has no [OvsdbTable] naming its table");
        constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length)
            ?? throw new InvalidOperationException($"{type} has no public constructor");
        bindings = [.. constructor.GetParameters().Select(p => ColumnBinding.For(p, type))];
        Columns = [.. bindings.Where(b => !b.IsUuid).Select(b => b.Column)];
    }

    /// <summary>The mapping of <typeparamref name="T"/>, built once; throws
    /// <see cref="InvalidOperationException"/> when the record cannot be mapped.</summary>
    public static RowMapping<T> Instance => Lazy.Value;

    public string Table { get; }

    /// <summary>The columns the record needs, to monitor them.</summary>
    public IReadOnlyList<string> Columns { get; }

    public T Map(OvsdbRow row) => (T)constructor.Invoke([.. bindings.Select(b => b.Read(row))]);

    /// <summary>What in <paramref name="schema"/> keeps rows from mapping to
    /// <typeparamref name="T"/>: a missing table, missing columns, incompatible types.</summary>
    public IReadOnlyList<string> FindProblems(DatabaseSchema schema) =>
        schema.Tables.TryGetValue(Table, out var table)
            ? [.. bindings.Select(b => b.FindProblem(table)).OfType<string>()]
            : [$"the table {Table} (for {typeof(T).Name}) does not exist"];
}
