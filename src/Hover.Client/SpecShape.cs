using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IoVisor.Hover.Client;

/// <summary>
/// Checks a JSON tree against the shape of a spec record (<see cref="ChainSpec"/> and its parts) before it is
/// deserialized, so that a mistake is reported in the file's own terms ("modules[0]: unknown key 'prots'")
/// rather than in .NET type names. A number or boolean where text is expected is taken as its text, as a YAML
/// author would expect of <c>key: 10</c>.
/// </summary>
internal static class SpecShape
{
    private static readonly NullabilityInfoContext Nullability = new();

    /// <exception cref="SpecShapeException">The first place where <paramref name="node"/> does not fit.</exception>
    public static void Check(JsonNode node, Type type) => CheckRecord(node, type, "$");

    private static void CheckRecord(JsonNode? node, Type type, string path)
    {
        if (node is not JsonObject obj)
        {
            throw new SpecShapeException(path, $"expected a mapping with {string.Join(", ", Keys(type))}");
        }
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.Name != "EqualityContract")
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.Ordinal);
        foreach (var (key, value) in obj.ToList())
        {
            if (!properties.TryGetValue(key, out var property))
            {
                throw new SpecShapeException($"{path}.{key}", $"unknown key '{key}' (expected one of {string.Join(", ", properties.Keys)})");
            }
            CheckValue(obj, key, value, property, $"{path}.{key}");
        }
        foreach (var (key, property) in properties)
        {
            if (property.IsDefined(typeof(RequiredMemberAttribute)) && !obj.ContainsKey(key))
            {
                throw new SpecShapeException(path, $"missing '{key}'");
            }
        }
    }

    private static void CheckValue(JsonObject parent, string key, JsonNode? value, PropertyInfo property, string path)
    {
        var type = property.PropertyType;
        if (value is null)
        {
            if (Nullability.Create(property).WriteState is not NullabilityState.Nullable)
            {
                throw new SpecShapeException(path, IsList(type) ? "expected a list ([] for none)" : "must not be empty");
            }
            return;
        }
        if (type == typeof(string))
        {
            if (value is not JsonValue scalar)
            {
                throw new SpecShapeException(path, "expected text");
            }
            if (scalar.GetValueKind() is not JsonValueKind.String)
            {
                parent[key] = scalar.ToJsonString();
            }
        }
        else if (type == typeof(JsonObject))
        {
            if (value is not JsonObject)
            {
                throw new SpecShapeException(path, "expected a mapping");
            }
        }
        else if (IsList(type))
        {
            if (value is not JsonArray items)
            {
                throw new SpecShapeException(path, "expected a list");
            }
            for (var i = 0; i < items.Count; i++)
            {
                CheckRecord(items[i], type.GetGenericArguments()[0], $"{path}[{i}]");
            }
        }
        else
        {
            CheckRecord(value, type, path);
        }
    }

    private static bool IsList(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>);

    private static IEnumerable<string> Keys(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.IsDefined(typeof(RequiredMemberAttribute)))
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));
}

/// <summary>Where (a JSON path, "$.modules[0]") and how a spec does not fit its shape.</summary>
internal sealed class SpecShapeException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string Path { get; } = path;

    public string Problem { get; } = problem;
}
