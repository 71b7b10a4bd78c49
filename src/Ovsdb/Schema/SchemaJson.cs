using System.Text.Json;
using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Schema;

/// <summary>Reads RFC 7047 &lt;database-schema&gt; JSON.</summary>
internal static class SchemaJson
{
    private static readonly ColumnSchema UuidColumn = new(TableSchema.UuidColumn, ColumnType.Scalar(AtomType.Uuid), Mutable: false);
    private static readonly ColumnSchema VersionColumn = new(TableSchema.VersionColumn, ColumnType.Scalar(AtomType.Uuid), Mutable: false);

    public static DatabaseSchema ReadDatabase(JsonElement json)
    {
        try
        {
            return ReadValidDatabase(json);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // JsonElement accessors throw these when a member has the wrong JSON type.
            throw Invalid(e.Message, e);
        }
    }

    private static DatabaseSchema ReadValidDatabase(JsonElement json)
    {
        var tables = new Dictionary<string, TableSchema>(StringComparer.Ordinal);
        foreach (var table in Member(json, "tables", "the schema").EnumerateObject())
        {
            tables[table.Name] = ReadTable(table.Name, table.Value);
        }
        return new DatabaseSchema(
            Member(json, "name", "the schema").GetString() ?? throw Invalid("the schema name is not a string"),
            OptionalString(json, "version"),
            OptionalString(json, "cksum"),
            tables);
    }

    private static TableSchema ReadTable(string name, JsonElement json)
    {
        var columns = new Dictionary<string, ColumnSchema>(StringComparer.Ordinal)
        {
            [UuidColumn.Name] = UuidColumn,
            [VersionColumn.Name] = VersionColumn,
        };
        foreach (var column in Member(json, "columns", $"table {name}").EnumerateObject())
        {
            var where = $"column {name}.{column.Name}";
            columns[column.Name] = new ColumnSchema(
                column.Name,
                ReadType(Member(column.Value, "type", where), where),
                OptionalBool(column.Value, "ephemeral") ?? false,
                OptionalBool(column.Value, "mutable") ?? true);
        }
        var indexes = json.TryGetProperty("indexes", out var ix)
            ? ix.EnumerateArray().Select(i => (IReadOnlyList<string>)[.. i.EnumerateArray().Select(c => c.GetString()!)]).ToList()
            : [];
        return new TableSchema(
            name,
            columns,
            OptionalBool(json, "isRoot") ?? false,
            json.TryGetProperty("maxRows", out var maxRows) ? maxRows.GetInt64() : null,
            indexes);
    }

    private static ColumnType ReadType(JsonElement json, string where)
    {
        if (json.ValueKind == JsonValueKind.String)
        {
            return new ColumnType(new BaseType(ReadAtomType(json, where)), null, 1, 1);
        }
        var key = ReadBaseType(Member(json, "key", where), where);
        var value = json.TryGetProperty("value", out var v) ? ReadBaseType(v, where) : null;
        var min = json.TryGetProperty("min", out var mn) ? mn.GetInt32() : 1;
        var max = !json.TryGetProperty("max", out var mx) ? 1
            : mx.ValueKind == JsonValueKind.String && mx.ValueEquals("unlimited") ? ColumnType.Unlimited
            : mx.GetInt32();
        return new ColumnType(key, value, min, max);
    }

    private static BaseType ReadBaseType(JsonElement json, string where)
    {
        if (json.ValueKind == JsonValueKind.String)
        {
            return new BaseType(ReadAtomType(json, where));
        }
        var type = ReadAtomType(Member(json, "type", where), where);
        return new BaseType(type)
        {
            Enum = json.TryGetProperty("enum", out var e) ? ReadEnum(e, type) : null,
            MinInteger = OptionalInt64(json, "minInteger"),
            MaxInteger = OptionalInt64(json, "maxInteger"),
            MinReal = json.TryGetProperty("minReal", out var minReal) ? minReal.GetDouble() : null,
            MaxReal = json.TryGetProperty("maxReal", out var maxReal) ? maxReal.GetDouble() : null,
            MinLength = OptionalInt64(json, "minLength"),
            MaxLength = OptionalInt64(json, "maxLength"),
            RefTable = OptionalString(json, "refTable"),
            RefType = OptionalString(json, "refType") == "weak" ? RefType.Weak : RefType.Strong,
        };
    }

    // An enum is a <value> of the key's type: a set, or one atom by the set shorthand.
    private static OvsdbSet ReadEnum(JsonElement json, AtomType type) =>
        (OvsdbSet)ValueJson.Read(json, new ColumnType(new BaseType(type), null, 0, ColumnType.Unlimited));

    private static AtomType ReadAtomType(JsonElement json, string where) => json.GetString() switch
    {
        "integer" => AtomType.Integer,
        "real" => AtomType.Real,
        "boolean" => AtomType.Boolean,
        "string" => AtomType.String,
        "uuid" => AtomType.Uuid,
        var other => throw Invalid($"{where} has the unknown atomic type {other}"),
    };

    private static JsonElement Member(JsonElement json, string name, string where) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value)
            ? value
            : throw Invalid($"{where} has no \"{name}\"");

    private static string? OptionalString(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static bool? OptionalBool(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) ? value.GetBoolean() : null;

    private static long? OptionalInt64(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) ? value.GetInt64() : null;

    private static OvsdbProtocolException Invalid(string message, Exception? inner = null) => new($"invalid schema: {message}", inner);
}
