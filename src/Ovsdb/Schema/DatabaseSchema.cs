using System.Text.Json;

namespace IoVisor.Ovsdb.Schema;

/// <summary>A database schema as get_schema returns it (RFC 7047 &lt;database-schema&gt;).</summary>
public sealed record DatabaseSchema(
    string Name,
    string? Version,
    string? Checksum,
    IReadOnlyDictionary<string, TableSchema> Tables)
{
    public static DatabaseSchema Parse(JsonElement json) => SchemaJson.ReadDatabase(json);

    public static DatabaseSchema Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement);
    }

    /// <summary>Reads a .ovsschema file such as /usr/share/ovn/ovn-nb.ovsschema.</summary>
    public static async Task<DatabaseSchema> LoadAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(file, cancellationToken: ct);
        return Parse(document.RootElement);
    }

    public TableSchema Table(string name) =>
        Tables.TryGetValue(name, out var table)
            ? table
            : throw new KeyNotFoundException($"the database {Name} has no table {name}");
}
