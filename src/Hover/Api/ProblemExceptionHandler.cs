using System.Text.Json;
using IoVisor.Bpf;
using IoVisor.Hover.Graph;
using IoVisor.IoModules;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace IoVisor.Hover.Api;

/// <summary>Turns every failure into an RFC 7807 problem naming the field at fault. Nothing
/// escapes as a bare 500 with a stack trace, and nothing crashes the daemon.</summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            ConfigException e => Validation(e.Errors.GroupBy(x => x.Field).ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray())),
            ConflictException e => Problem(StatusCodes.Status409Conflict, "Conflict", e.Message, e.Field),
            NotFoundException e => Problem(StatusCodes.Status404NotFound, "Not found", e.Message, null),
            BadHttpRequestException e => BadRequest(e),
            BpfException e => Kernel(e),
            _ => null,
        };
        if (problem is null)
        {
            LogUnexpected(logger, exception);
            problem = Problem(StatusCodes.Status500InternalServerError, "Internal error", exception.Message, null);
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ValidationProblemDetails Validation(IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "Invalid request",
        Detail = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")),
    };

    private static ProblemDetails Problem(int status, string title, string detail, string? field)
    {
        if (field is not null)
        {
            var p = Validation(new Dictionary<string, string[]> { [field] = [detail] });
            p.Status = status;
            p.Title = title;
            p.Detail = detail;
            return p;
        }
        return new ProblemDetails { Status = status, Title = title, Detail = detail };
    }

    /// <summary>A body that is not JSON, or a field of the wrong JSON type.</summary>
    private static ProblemDetails BadRequest(BadHttpRequestException e)
    {
        if (e.InnerException is JsonException json)
        {
            var field = json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
            return Validation(new Dictionary<string, string[]> { [field] = [json.Message] });
        }
        return Validation(new Dictionary<string, string[]> { ["body"] = [e.Message] });
    }

    private static ProblemDetails Kernel(BpfException e)
    {
        var p = Problem(StatusCodes.Status500InternalServerError, "Kernel refused the change", e.Message, null);
        p.Extensions["operation"] = e.Operation;
        p.Extensions["errno"] = e.Errno;
        if (e.VerifierLog is not null)
        {
            p.Status = StatusCodes.Status422UnprocessableEntity;
            p.Extensions["verifierLog"] = e.VerifierLog;
        }
        return p;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error")]
    private static partial void LogUnexpected(ILogger logger, Exception e);
}
