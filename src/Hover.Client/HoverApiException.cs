using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RestEase;

namespace IoVisor.Hover.Client;

/// <summary>
/// The daemon answered with an error: its RFC 7807 problem details (<c>application/problem+json</c>), or, for an
/// answer that is not one (a proxy's error page, an unknown route), the status and the body as the detail.
/// </summary>
public sealed class HoverApiException : Exception
{
    private static readonly HashSet<string> StandardMembers = new(StringComparer.Ordinal)
    {
        "type", "title", "status", "detail", "instance", "errors",
    };

    public HoverApiException(
        HttpStatusCode status, string title, string detail, IReadOnlyDictionary<string, IReadOnlyList<string>> errors,
        JsonObject extensions, Exception? innerException = null)
        : base($"{title}: {detail}", innerException)
    {
        Status = status;
        Title = title;
        Detail = detail;
        Errors = errors;
        Extensions = extensions;
    }

    public HttpStatusCode Status { get; }

    public string Title { get; }

    /// <summary>The problem's detail; the body of an answer that is not a problem; else the request ("GET http://…/chains").</summary>
    public string Detail { get; }

    /// <summary>Messages per field at fault (a JSON path into the request, e.g. "config.agingSeconds"); empty when none is named.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; }

    /// <summary>Members of the problem beyond the RFC 7807 ones, e.g. <c>verifierLog</c> and <c>errno</c> when the kernel refused a program.</summary>
    public JsonObject Extensions { get; }

    /// <summary>5xx: the request may have been fine, the daemon could not carry it out.</summary>
    public bool IsServerError => (int)Status >= 500;

    internal static HoverApiException From(ApiException e)
    {
        var problem = ParseObject(e.Content);
        var title = problem?["title"] is JsonValue t && t.TryGetValue(out string? titleText)
            ? titleText
            : e.ReasonPhrase ?? e.StatusCode.ToString();
        // Without a detail of its own ("Not Found" for a route the daemon lacks), the request is what tells most.
        var detail = problem?["detail"] is JsonValue d && d.TryGetValue(out string? detailText)
            ? detailText
            : problem is null && !string.IsNullOrWhiteSpace(e.Content) ? e.Content.Trim() : $"{e.RequestMethod} {e.RequestUri}";
        var extensions = new JsonObject();
        foreach (var (name, value) in problem ?? [])
        {
            if (!StandardMembers.Contains(name))
            {
                extensions[name] = value?.DeepClone();
            }
        }
        return new HoverApiException(e.StatusCode, title, detail, ErrorsOf(problem), extensions, e);
    }

    private static JsonObject? ParseObject(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(content) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>ASP.NET writes <c>{"field": ["message", ...]}</c>; a lone string is accepted too.</summary>
    private static Dictionary<string, IReadOnlyList<string>> ErrorsOf(JsonObject? problem)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (problem?["errors"] is not JsonObject fields)
        {
            return errors;
        }
        foreach (var (field, messages) in fields)
        {
            errors[field] = messages switch
            {
                JsonArray list => list.Select(m => m is JsonValue v && v.TryGetValue(out string? s) ? s : m?.ToJsonString() ?? "").ToList(),
                JsonValue v when v.TryGetValue(out string? s) => [s],
                _ => [messages?.ToJsonString() ?? ""],
            };
        }
        return errors;
    }
}
