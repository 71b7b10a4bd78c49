using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace IoVisor.Hover.Client;

/// <summary>
/// Reads a <see cref="ChainSpec"/> from the YAML or JSON a user wrote (<c>hoverctl apply -f</c>). Stricter than
/// the API responses: an unknown key is an error, so that a typo does not silently drop part of the graph, and
/// errors name the line and the key in the file's terms (see <see cref="SpecShape"/>).
/// </summary>
public static class ChainSpecFile
{
    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file is not a chain spec; the message names the file, the line when known, and the field.</exception>
    public static async Task<ChainSpec> LoadAsync(string path, CancellationToken ct = default) =>
        Parse(await File.ReadAllTextAsync(path, ct).ConfigureAwait(false), path);

    /// <summary>Parses <paramref name="text"/>: JSON when it starts with '{', YAML otherwise.</summary>
    /// <param name="text">The spec.</param>
    /// <param name="source">Names the text in error messages (a file name, "stdin").</param>
    /// <exception cref="FormatException">The text is not a chain spec; the message names the line when known, and the field.</exception>
    public static ChainSpec Parse(string text, string source)
    {
        var positions = new Dictionary<string, Mark>(StringComparer.Ordinal);
        JsonNode? json;
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                json = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException e)
            {
                throw new FormatException($"{source}:{Line(e.LineNumber)}: not JSON: {FirstSentence(e.Message)}", e);
            }
        }
        else
        {
            try
            {
                json = YamlJson.Convert(text, positions);
            }
            catch (YamlException e)
            {
                throw new FormatException($"{source}:{e.Start.Line.ToString(CultureInfo.InvariantCulture)}: not YAML: {e.Message}", e);
            }
        }
        if (json is null)
        {
            throw new FormatException($"{source}: empty; a chain spec has a name and lists of modules, links and entries");
        }
        try
        {
            SpecShape.Check(json, typeof(ChainSpec));
            return json.Deserialize<ChainSpec>(HoverJson.Options)!;
        }
        catch (SpecShapeException e)
        {
            throw new FormatException(Locate(source, e.Path, positions) + e.Problem, e);
        }
        catch (JsonException e)
        {
            throw new FormatException(Locate(source, e.Path ?? "$", positions) + FirstSentence(e.Message), e);
        }
    }

    /// <summary>"graph.yaml:12: modules[0].ports: " — the line when known, the path unless it is the whole document.</summary>
    private static string Locate(string source, string path, Dictionary<string, Mark> positions)
    {
        var where = LineOf(path, positions) is { } line ? $"{source}:{line}" : source;
        return path == "$" ? $"{where}: " : $"{where}: {path[2..]}: ";
    }

    /// <summary>The line of the value at <paramref name="path"/> or of the nearest enclosing one.</summary>
    private static string? LineOf(string path, Dictionary<string, Mark> positions)
    {
        for (var p = path; p.Length > 0; p = p[..Math.Max(0, p.LastIndexOfAny(['.', '[']))])
        {
            if (positions.TryGetValue(p, out var mark))
            {
                return mark.Line.ToString(CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    private static string Line(long? zeroBased) => ((zeroBased ?? 0) + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>System.Text.Json appends "Path: … | LineNumber: …" to its messages; the caller states those better.</summary>
    private static string FirstSentence(string message)
    {
        foreach (var tail in (string[])[" Path: ", " LineNumber: "])
        {
            var cut = message.IndexOf(tail, StringComparison.Ordinal);
            if (cut >= 0)
            {
                message = message[..cut];
            }
        }
        return message;
    }
}
