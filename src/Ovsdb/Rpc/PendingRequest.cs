using System.Text.Json;

namespace IoVisor.Ovsdb.Rpc;

/// <summary>A request sent and not yet answered; the method is kept to name it in errors.</summary>
internal sealed class PendingRequest(string method)
{
    private readonly TaskCompletionSource<JsonElement> reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Method { get; } = method;

    public Task<JsonElement> Task => reply.Task;

    public void Complete(JsonElement result) => reply.TrySetResult(result);

    public void Fail(Exception error) => reply.TrySetException(error);
}
