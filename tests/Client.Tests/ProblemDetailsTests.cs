using System.Net;
using IoVisor.Hover.Client;

namespace IoVisor.Client.Tests;

/// <summary>Error answers surface as <see cref="HoverApiException"/> carrying the daemon's problem details.</summary>
public sealed class ProblemDetailsTests
{
    [Fact]
    public async Task A_validation_problem_carries_status_title_detail_and_field_errors()
    {
        using var api = HoverClient.Create(StubHandler.BaseAddress, StubHandler.Always(HttpStatusCode.BadRequest, """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"Invalid request","status":400,
             "detail":"config.agingSeconds: must be between 0 and 1000000; name: required",
             "errors":{"config.agingSeconds":["must be between 0 and 1000000"],"name":["required","too short"]},
             "traceId":"00-abc-01"}
            """, "application/problem+json"));

        var e = await Assert.ThrowsAsync<HoverApiException>(() => api.CreateModuleAsync(new ModuleCreateRequest("", "bridge")));

        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
        Assert.Equal("Invalid request", e.Title);
        Assert.Equal("config.agingSeconds: must be between 0 and 1000000; name: required", e.Detail);
        Assert.Equal(["must be between 0 and 1000000"], e.Errors["config.agingSeconds"]);
        Assert.Equal(["required", "too short"], e.Errors["name"]);
        Assert.Equal("00-abc-01", e.Extensions["traceId"]!.GetValue<string>());
        Assert.False(e.IsServerError);
        Assert.Equal("Invalid request: config.agingSeconds: must be between 0 and 1000000; name: required", e.Message);
    }

    [Fact]
    public async Task A_not_found_problem_has_no_field_errors()
    {
        using var api = HoverClient.Create(StubHandler.BaseAddress, StubHandler.Always(HttpStatusCode.NotFound,
            """{"title":"Not found","status":404,"detail":"module 'br9' does not exist"}""", "application/problem+json"));

        var e = await Assert.ThrowsAsync<HoverApiException>(() => api.GetModuleAsync("br9"));

        Assert.Equal(HttpStatusCode.NotFound, e.Status);
        Assert.Equal("Not found", e.Title);
        Assert.Equal("module 'br9' does not exist", e.Detail);
        Assert.Empty(e.Errors);
    }

    [Fact]
    public async Task A_kernel_refusal_keeps_the_verifier_log()
    {
        using var api = HoverClient.Create(StubHandler.BaseAddress, StubHandler.Always(HttpStatusCode.UnprocessableEntity,
            """{"title":"Kernel refused the change","status":422,"detail":"load failed","operation":"bpf_object__load","errno":13,"verifierLog":"0: R1 invalid mem access"}""",
            "application/problem+json"));

        var e = await Assert.ThrowsAsync<HoverApiException>(() => api.CreateModuleAsync(new ModuleCreateRequest("br1", "bridge")));

        Assert.Equal("0: R1 invalid mem access", e.Extensions["verifierLog"]!.GetValue<string>());
        Assert.Equal(13, e.Extensions["errno"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_server_error_is_marked_as_such()
    {
        using var api = HoverClient.Create(StubHandler.BaseAddress, StubHandler.Always(HttpStatusCode.InternalServerError,
            """{"title":"Internal error","status":500,"detail":"boom"}""", "application/problem+json"));

        var e = await Assert.ThrowsAsync<HoverApiException>(() => api.GetHealthAsync());

        Assert.True(e.IsServerError);
    }

    [Fact]
    public async Task An_answer_that_is_not_a_problem_keeps_its_body_as_the_detail()
    {
        using var api = HoverClient.Create(StubHandler.BaseAddress,
            StubHandler.Always(HttpStatusCode.BadGateway, "<html>upstream down</html>\n", "text/html"));

        var e = await Assert.ThrowsAsync<HoverApiException>(() => api.ListLinksAsync());

        Assert.Equal(HttpStatusCode.BadGateway, e.Status);
        Assert.Equal("Bad Gateway", e.Title);
        Assert.Equal("<html>upstream down</html>", e.Detail);
        Assert.Empty(e.Errors);
    }

    [Fact]
    public async Task An_empty_error_names_the_request()
    {
        // What an older daemon answers for a route it does not have.
        using var api = HoverClient.Create(StubHandler.BaseAddress, new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound)));

        var e = await Assert.ThrowsAsync<HoverApiException>(() => api.ListChainsAsync());

        Assert.Equal("Not Found", e.Title);
        Assert.Equal("GET http://hover.test:5000/chains", e.Detail);
    }

    [Fact]
    public async Task An_error_on_the_trace_stream_is_a_problem_too()
    {
        using var api = HoverClient.Create(StubHandler.BaseAddress, StubHandler.Always(HttpStatusCode.BadRequest,
            """{"title":"Invalid request","status":400,"detail":"filter: unknown field 'ip.dstt'","errors":{"filter":["unknown field 'ip.dstt'"]}}""",
            "application/problem+json"));

        var e = await Assert.ThrowsAsync<HoverApiException>(() => api.OpenTraceAsync("ip.dstt == 1"));

        Assert.Equal(["unknown field 'ip.dstt'"], e.Errors["filter"]);
    }
}
