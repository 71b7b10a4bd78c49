using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoVisor.Hover.Client;

/// <summary>The JSON conventions of the Hover API: camelCase names, absent rather than null optional fields.</summary>
public static class HoverJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
