using System.Net;
using System.Text.Json.Nodes;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>A daemon answer kept whole, so that a failed assertion can show what came back.</summary>
public sealed record ApiResponse(string Request, HttpStatusCode Status, string? MediaType, string Body)
{
    /// <summary>The body parsed as JSON; throws with the raw body when it is not JSON.</summary>
    public JsonNode? Json
    {
        get
        {
            if (Body.Length == 0)
            {
                return null;
            }
            try
            {
                return JsonNode.Parse(Body);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidOperationException($"{Describe()}\nbody is not JSON: {e.Message}", e);
            }
        }
    }

    public string Describe() => $"{Request} → {(int)Status} {Status} ({MediaType ?? "no content type"}): {Body}";

    public ApiResponse Expect(HttpStatusCode status) =>
        Status == status ? this : throw new InvalidOperationException($"expected {(int)status} {status}, got {Describe()}");

    /// <summary>A problem-details answer with <paramref name="status"/> whose <c>errors</c> name <paramref name="field"/>.</summary>
    public ApiResponse ExpectProblem(HttpStatusCode status, string field)
    {
        Expect(status);
        if (MediaType != "application/problem+json" || Json?["errors"] is not JsonObject errors || !errors.ContainsKey(field))
        {
            throw new InvalidOperationException($"expected a problem naming `{field}`, got {Describe()}");
        }
        return this;
    }
}
