using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>The REST calls the tests make, as thin extensions over the daemon's <see cref="HttpClient"/>.</summary>
public static class HoverApi
{
    public static async Task<ApiResponse> SendAsync(this HttpClient http, HttpMethod method, string path, JsonNode? body = null) =>
        await SendRawAsync(http, method, path, body?.ToJsonString());

    /// <summary>Sends <paramref name="rawBody"/> as-is with content type application/json (for malformed bodies).</summary>
    public static async Task<ApiResponse> SendRawAsync(this HttpClient http, HttpMethod method, string path, string? rawBody)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var description = rawBody is null ? $"{method} /{path.TrimStart('/')}" : $"{method} /{path.TrimStart('/')} {rawBody}";
        return new ApiResponse(description, response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
    }

    /// <summary>GET that must answer 200 with JSON.</summary>
    public static async Task<JsonNode> GetJsonAsync(this HttpClient http, string path) =>
        (await http.SendAsync(HttpMethod.Get, path)).Expect(HttpStatusCode.OK).Json
        ?? throw new InvalidOperationException($"GET /{path} returned an empty body");

    /// <summary>POST that must answer 201 Created; returns the created resource.</summary>
    public static async Task<JsonNode> CreateAsync(this HttpClient http, string path, JsonNode body) =>
        (await http.SendAsync(HttpMethod.Post, path, body)).Expect(HttpStatusCode.Created).Json
        ?? throw new InvalidOperationException($"POST /{path} returned an empty body");

    public static Task<JsonNode> CreateModuleAsync(this HttpClient http, string name, string type, string hook, JsonObject? config = null) =>
        http.CreateAsync("modules", new JsonObject
        {
            ["name"] = name,
            ["type"] = type,
            ["hook"] = hook,
            ["config"] = config ?? new JsonObject(),
        });

    public static Task<JsonNode> CreateBridgeAsync(this HttpClient http, string name, string hook, int agingSeconds = 300) =>
        http.CreateModuleAsync(name, "bridge", hook, new JsonObject { ["agingSeconds"] = agingSeconds });

    public static Task<JsonNode> AddPortAsync(this HttpClient http, string module, string port, JsonObject? config = null)
    {
        var body = new JsonObject { ["name"] = port };
        if (config is not null)
        {
            body["config"] = config;
        }
        return http.CreateAsync($"modules/{module}/ports", body);
    }

    public static Task<JsonNode> LinkAsync(this HttpClient http, string from, string to) =>
        http.CreateAsync("links", new JsonObject { ["from"] = from, ["to"] = to });

    public static JsonObject AccessPort(int vlan) => new() { ["mode"] = "access", ["vlan"] = vlan };

    public static JsonObject TrunkPort(params int[] vlans) =>
        new() { ["mode"] = "trunk", ["vlans"] = new JsonArray(vlans.Select(v => (JsonNode?)v).ToArray()) };

    /// <summary>GET /modules and GET /links together: what "the state did not change" is checked against.</summary>
    public static async Task<JsonObject> SnapshotGraphAsync(this HttpClient http) => new()
    {
        ["modules"] = await http.GetJsonAsync("modules"),
        ["links"] = await http.GetJsonAsync("links"),
    };

    public static bool IsSuccess(this HttpStatusCode status) => (int)status is >= 200 and < 300;
}
