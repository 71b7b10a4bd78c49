using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IoVisor.Hover.Client;

/// <summary>
/// Turns a YAML document into the JSON it stands for, resolving plain scalars by the YAML 1.2 core schema (so
/// <c>vlan: 10</c> is a number, <c>mac: aa:bb:cc:dd:ee:01</c> and <c>on</c> are strings, quoted scalars are always
/// strings). Remembers where each value is named so that errors found later can point at its line.
/// </summary>
internal static partial class YamlJson
{
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <param name="yaml">One YAML document.</param>
    /// <param name="positions">Filled with the JSON path of every value ("$.modules[0].ports") and its YAML start.</param>
    /// <exception cref="YamlException">Not YAML, not exactly one document, or a key that is not a scalar.</exception>
    public static JsonNode? Convert(string yaml, IDictionary<string, Mark> positions)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count != 1)
        {
            throw new YamlException($"expected one YAML document, found {stream.Documents.Count}");
        }
        var root = stream.Documents[0].RootNode;
        return Convert(root, "$", root.Start, positions);
    }

    // start: where the value is named (its key, for a mapping member), so that errors point at the key.
    private static JsonNode? Convert(YamlNode node, string path, Mark start, IDictionary<string, Mark> positions)
    {
        positions[path] = start;
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new YamlException(key.Start, key.End, "a mapping key must be a plain name");
                    }
                    obj[name] = Convert(value, $"{path}.{name}", key.Start, positions);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var item = sequence.Children[i];
                    array.Add(Convert(item, $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", item.Start, positions));
                }
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new YamlException(node.Start, node.End, $"unsupported YAML node {node.NodeType}");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain || (scalar.Tag.IsGlobal && scalar.Tag.Value == StringTag))
        {
            return JsonValue.Create(text);
        }
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }
        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }
        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (text.StartsWith("0x", StringComparison.Ordinal)
            && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }
        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
