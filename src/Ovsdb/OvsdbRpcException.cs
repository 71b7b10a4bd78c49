using System.Text.Json;

namespace IoVisor.Ovsdb;

/// <summary>The server answered a request with a JSON-RPC error. ovsdb-server sends either a bare
/// string ("unknown method") or an RFC 7047 error object with "error" and "details".</summary>
public sealed class OvsdbRpcException : OvsdbException
{
    public OvsdbRpcException(string method, JsonElement error)
        : this(method, ErrorOf(error), DetailsOf(error))
    {
    }

    private OvsdbRpcException(string method, string error, string? details)
        : base(details is null ? $"{method} failed: {error}" : $"{method} failed: {error} ({details})")
    {
        Method = method;
        Error = error;
        Details = details;
    }

    public string Method { get; }

    public string Error { get; }

    public string? Details { get; }

    /// <summary>The server does not implement the method, the signal to fall back to an older
    /// one.</summary>
    public bool IsUnknownMethod => Error == "unknown method";

    private static string ErrorOf(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => error.GetString()!,
        JsonValueKind.Object when error.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String => e.GetString()!,
        _ => error.GetRawText(),
    };

    private static string? DetailsOf(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object && error.TryGetProperty("details", out var d)
            ? d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText()
            : null;
}
