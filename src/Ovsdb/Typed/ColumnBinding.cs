using System.Collections;
using System.Reflection;
using System.Text;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Schema;

namespace IoVisor.Ovsdb.Typed;

/// <summary>Binds one record constructor parameter to one column: how to convert the column's
/// value, and whether a schema's column can be converted at all.</summary>
internal sealed class ColumnBinding
{
    private static readonly NullabilityInfoContext Nullability = new();

    private static readonly Dictionary<Type, AtomType> AtomTypes = new()
    {
        [typeof(string)] = AtomType.String,
        [typeof(long)] = AtomType.Integer,
        [typeof(int)] = AtomType.Integer,
        [typeof(double)] = AtomType.Real,
        [typeof(bool)] = AtomType.Boolean,
        [typeof(Guid)] = AtomType.Uuid,
    };

    private readonly string parameter;
    private readonly ColumnShape shape;
    private readonly Type element;
    private readonly Type? mapValue;

    private ColumnBinding(string column, string parameter, ColumnShape shape, Type element, Type? mapValue)
    {
        Column = column;
        this.parameter = parameter;
        this.shape = shape;
        this.element = element;
        this.mapValue = mapValue;
    }

    public string Column { get; }

    public bool IsUuid => Column == TableSchema.UuidColumn;

    public static ColumnBinding For(ParameterInfo p, Type record)
    {
        var name = p.Name ?? throw new InvalidOperationException($"{record} has a constructor parameter without a name");
        var column = p.GetCustomAttribute<OvsdbColumnAttribute>()?.Name
            ?? (name is "Uuid" or "uuid" ? TableSchema.UuidColumn : SnakeCase(name));
        var where = $"{record.Name}.{name}";
        var type = p.ParameterType;
        if (Nullable.GetUnderlyingType(type) is { } underlying && AtomTypes.ContainsKey(underlying))
        {
            return new(column, where, ColumnShape.Optional, underlying, null);
        }
        if (AtomTypes.ContainsKey(type))
        {
            var optional = !type.IsValueType && Nullability.Create(p).ReadState == NullabilityState.Nullable;
            return new(column, where, optional ? ColumnShape.Optional : ColumnShape.Scalar, type, null);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) && AtomTypes.ContainsKey(type.GenericTypeArguments[0]))
        {
            return new(column, where, ColumnShape.Set, type.GenericTypeArguments[0], null);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) &&
            type.GenericTypeArguments.All(AtomTypes.ContainsKey))
        {
            return new(column, where, ColumnShape.Map, type.GenericTypeArguments[0], type.GenericTypeArguments[1]);
        }
        throw new InvalidOperationException(
            $"{where} has the type {type}, which no OVSDB column maps to: use string, long, int, double, bool, Guid " +
            "(nullable for optional columns), IReadOnlyList<> of them for sets, or IReadOnlyDictionary<,> of them for maps");
    }

    public object? Read(OvsdbRow row)
    {
        if (IsUuid)
        {
            return row.Uuid;
        }
        var value = row[Column];
        return (shape, value) switch
        {
            (ColumnShape.Scalar or ColumnShape.Optional, OvsdbAtom atom) => ToClr(atom, element),
            (ColumnShape.Scalar, OvsdbSet { Count: 1 } one) => ToClr(one[0], element),
            (ColumnShape.Optional, OvsdbSet { Count: 0 }) => null,
            (ColumnShape.Optional, OvsdbSet { Count: 1 } one) => ToClr(one[0], element),
            (ColumnShape.Set, OvsdbSet set) => ToArray(set),
            (ColumnShape.Set, OvsdbAtom atom) => ToArray(OvsdbSet.Of(atom)),
            (ColumnShape.Map, OvsdbMap map) => ToDictionary(map),
            _ => throw new InvalidCastException($"{parameter} cannot hold the value {value} of column {Column}"),
        };
    }

    /// <summary>Why <paramref name="table"/>'s column cannot fill this parameter, or null when it can.</summary>
    public string? FindProblem(TableSchema table)
    {
        if (!table.Columns.TryGetValue(Column, out var column))
        {
            return $"{table.Name}.{Column} (for {parameter}) does not exist";
        }
        var type = column.Type;
        var problem = shape switch
        {
            ColumnShape.Map when !type.IsMap => "is not a map",
            ColumnShape.Map when type.Key.Type != AtomTypes[element] || type.Value!.Type != AtomTypes[mapValue!] =>
                $"maps {type.Key.Type} to {type.Value!.Type}, not {AtomTypes[element]} to {AtomTypes[mapValue!]}",
            not ColumnShape.Map when type.IsMap => "is a map",
            not ColumnShape.Map when type.Key.Type != AtomTypes[element] => $"holds {type.Key.Type}, not {AtomTypes[element]}",
            ColumnShape.Scalar when !type.IsScalar => $"holds {type.Min} to {Bound(type.Max)} values, so {parameter} must be nullable or a list",
            ColumnShape.Optional when type.Max > 1 => $"holds up to {Bound(type.Max)} values, so {parameter} must be a list",
            _ => null,
        };
        return problem is null ? null : $"{table.Name}.{Column} (for {parameter}) {problem}";
    }

    private static string Bound(int max) => max == ColumnType.Unlimited ? "unlimited" : max.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Array ToArray(OvsdbSet set)
    {
        var array = Array.CreateInstance(element, set.Count);
        for (var i = 0; i < set.Count; i++)
        {
            array.SetValue(ToClr(set[i], element), i);
        }
        return array;
    }

    private IDictionary ToDictionary(OvsdbMap map)
    {
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(element, mapValue!))!;
        foreach (var (key, value) in map)
        {
            dictionary.Add(ToClr(key, element), ToClr(value, mapValue!));
        }
        return dictionary;
    }

    private static object ToClr(OvsdbAtom atom, Type type) =>
        type == typeof(string) ? atom.AsString
        : type == typeof(long) ? atom.AsInteger
        : type == typeof(int) ? checked((int)atom.AsInteger)
        : type == typeof(double) ? atom.AsReal
        : type == typeof(bool) ? atom.AsBoolean
        : atom.AsUuid;

    private static string SnakeCase(string name)
    {
        var result = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                result.Append('_');
            }
            result.Append(char.ToLowerInvariant(name[i]));
        }
        return result.ToString();
    }
}
