using System.Text.Json;
using System.Text.Json.Nodes;

namespace IoVisor.Hover.Api;

/// <summary>Filters table entries by query parameters: an entry stays when each named top-level
/// field, as text, equals one of the values given for it (case-insensitive).</summary>
internal static class EntryFilter
{
    public static IReadOnlyList<JsonObject> Apply(IReadOnlyList<JsonObject> entries, IQueryCollection query)
    {
        if (query.Count == 0)
        {
            return entries;
        }
        return entries.Where(e => query.All(q => Matches(e[q.Key], q.Value))).ToList();
    }

    private static bool Matches(JsonNode? field, Microsoft.Extensions.Primitives.StringValues wanted)
    {
        var text = field switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => field.ToJsonString(),
        };
        return text is not null && wanted.Any(w => string.Equals(w, text, StringComparison.OrdinalIgnoreCase));
    }
}
