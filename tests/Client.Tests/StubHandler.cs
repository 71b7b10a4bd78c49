using System.Net;
using System.Text;

namespace IoVisor.Client.Tests;

/// <summary>
/// Stands in for the daemon in client unit tests: answers each request with the canned response its function
/// returns, and keeps what was sent.
/// </summary>
internal sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    public static readonly Uri BaseAddress = new("http://hover.test:5000");

    public List<SentRequest> Sent { get; } = [];

    public static StubHandler Always(HttpStatusCode status, string body, string mediaType = "application/json") =>
        new(_ => Response(status, body, mediaType));

    public static HttpResponseMessage Response(HttpStatusCode status, string body, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    public static HttpResponseMessage NoContent() => new(HttpStatusCode.NoContent);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
        lock (Sent)
        {
            Sent.Add(new SentRequest(request.Method.Method, request.RequestUri!, body, request.Content?.Headers.ContentType?.MediaType));
        }
        var response = respond(request);
        response.RequestMessage = request;
        return response;
    }
}

/// <summary>A request as the stub saw it; <see cref="PathAndQuery"/> is still percent-encoded.</summary>
internal sealed record SentRequest(string Method, Uri Uri, string? Body, string? MediaType)
{
    public string PathAndQuery => Uri.PathAndQuery;

    public override string ToString() => $"{Method} {PathAndQuery} {Body}";
}
