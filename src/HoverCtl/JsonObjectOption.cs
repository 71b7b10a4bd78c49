using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IoVisor.HoverCtl;

/// <summary>An option whose value is a JSON object (--config '{"agingSeconds":300}'); anything else is a usage error.</summary>
internal static class JsonObjectOption
{
    public static Option<JsonObject> Create(string name, string description, bool required = false) => new(name)
    {
        Description = description,
        HelpName = "json",
        Required = required,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            try
            {
                if (JsonNode.Parse(text) is JsonObject json)
                {
                    return json;
                }
                result.AddError($"{name}: expected a JSON object such as '{{\"key\":1}}', got {text}");
            }
            catch (JsonException e)
            {
                result.AddError($"{name}: not JSON: {e.Message}");
            }
            return null;
        },
    };
}
