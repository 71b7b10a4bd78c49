using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules;

/// <summary>Reads typed fields out of a JSON config object, collecting an error per bad field
/// instead of throwing at the first one.</summary>
public sealed class ConfigReader(JsonObject? source, ConfigErrors errors)
{
    private readonly JsonObject _source = source ?? [];

    public ConfigErrors Errors { get; } = errors;

    /// <summary>Unknown fields are errors: a typo must not be silently ignored.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (var (name, _) in _source)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                Errors.Add(name, $"unknown field; expected one of: {string.Join(", ", known)}");
            }
        }
    }

    public bool Has(string name) => _source[name] is not null;

    public long Integer(string name, long fallback, long min, long max)
    {
        var node = _source[name];
        if (node is null)
        {
            return fallback;
        }
        if (TryInteger(node, out var value))
        {
            if (value < min || value > max)
            {
                Errors.Add(name, $"must be between {min} and {max}");
                return fallback;
            }
            return value;
        }
        Errors.Add(name, "must be an integer");
        return fallback;
    }

    /// <summary>Any JSON integer, whether parsed from text or built in code from another CLR type.</summary>
    private static bool TryInteger(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public string? Text(string name, string? fallback)
    {
        var node = _source[name];
        if (node is null)
        {
            return fallback;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }
        Errors.Add(name, "must be a string");
        return fallback;
    }

    public bool Boolean(string name, bool fallback)
    {
        var node = _source[name];
        if (node is null)
        {
            return fallback;
        }
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValue<bool>();
        }
        Errors.Add(name, "must be true or false");
        return fallback;
    }

    public string OneOf(string name, string fallback, params string[] allowed)
    {
        var value = Text(name, fallback) ?? fallback;
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            Errors.Add(name, $"must be one of: {string.Join(", ", allowed)}");
            return fallback;
        }
        return value;
    }

    public IReadOnlyList<long> Integers(string name, long min, long max)
    {
        var node = _source[name];
        if (node is null)
        {
            return [];
        }
        if (node is not JsonArray array)
        {
            Errors.Add(name, "must be an array of integers");
            return [];
        }
        var result = new List<long>();
        for (var i = 0; i < array.Count; i++)
        {
            if (TryInteger(array[i], out var value) && value >= min && value <= max)
            {
                result.Add(value);
            }
            else
            {
                Errors.Add($"{name}[{i}]", $"must be an integer between {min} and {max}");
            }
        }
        return result;
    }

    public IReadOnlyList<string> Texts(string name)
    {
        var node = _source[name];
        if (node is null)
        {
            return [];
        }
        if (node is not JsonArray array)
        {
            Errors.Add(name, "must be an array of strings");
            return [];
        }
        var result = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                result.Add(v.GetValue<string>());
            }
            else
            {
                Errors.Add($"{name}[{i}]", "must be a string");
            }
        }
        return result;
    }
}
