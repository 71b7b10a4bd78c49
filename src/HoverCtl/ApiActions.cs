using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoVisor.Hover.Client;

namespace IoVisor.HoverCtl;

/// <summary>
/// Runs a command's body against the daemon named by --server and turns every way it can fail into a message on
/// stderr and an exit code (<see cref="ExitCodes"/>), so that no command has to.
/// </summary>
internal sealed class ApiActions(GlobalOptions globals, CtlEnvironment environment)
{
    public void Set(Command command, Func<ApiCall, Task> body) =>
        command.SetAction((parse, ct) => RunAsync(parse, body, ct));

    private async Task<int> RunAsync(ParseResult parse, Func<ApiCall, Task> body, CancellationToken ct)
    {
        var server = parse.GetRequiredValue(globals.Server);
        var printer = new Printer(environment.Output, parse.GetValue(globals.Output) == GlobalOptions.JsonFormat);
        using var api = environment.Connect(server);
        try
        {
            await body(new ApiCall(api, parse, printer, environment.Input, ct));
            return ExitCodes.Ok;
        }
        catch (UsageException e)
        {
            await environment.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (HoverApiException e)
        {
            await WriteProblemAsync(e);
            return e.IsServerError ? ExitCodes.Unavailable : ExitCodes.Rejected;
        }
        catch (HttpRequestException e)
        {
            await environment.Error.WriteLineAsync($"error: cannot reach {server}: {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (TaskCanceledException)
        {
            // Not ours: HttpClient gave up waiting.
            await environment.Error.WriteLineAsync($"error: {server} did not answer in time");
            return ExitCodes.Unavailable;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException)
        {
            await environment.Error.WriteLineAsync($"error: unexpected answer from {server}: {e.Message}");
            return ExitCodes.Unavailable;
        }
    }

    private async Task WriteProblemAsync(HoverApiException e)
    {
        var error = environment.Error;
        await error.WriteLineAsync($"error: {e.Title}: {e.Detail}");
        foreach (var (field, messages) in e.Errors)
        {
            foreach (var message in messages)
            {
                await error.WriteLineAsync($"  {field}: {message}");
            }
        }
        if (e.Extensions["verifierLog"] is JsonValue log && log.TryGetValue(out string? text))
        {
            await error.WriteLineAsync("verifier log:");
            await error.WriteLineAsync(text.TrimEnd());
        }
    }
}
