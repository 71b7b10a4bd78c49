using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace IoVisor.Ovsdb.Rpc;

/// <summary>The read side: cutting the stream into messages and dispatching each one.</summary>
internal sealed partial class JsonRpcConnection
{
    private async Task ReadLoopAsync()
    {
        var framer = new JsonValueFramer();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(lifetime.Token);
                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    probe.Received();
                }
                try
                {
                    while (framer.TryRead(ref buffer, out var message))
                    {
                        Dispatch(message);
                    }
                }
                catch (JsonException e)
                {
                    throw new OvsdbProtocolException($"{peer} sent invalid JSON: {e.Message}", e);
                }
                if (result.IsCompleted)
                {
                    throw JsonValueFramer.IsBlank(buffer)
                        ? new OvsdbConnectionException($"{peer} closed the connection")
                        : new OvsdbProtocolException($"{peer} closed the connection in the middle of a message");
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Close(new OvsdbConnectionException($"reading from {peer} failed: {e.Message}", e));
        }
        catch (OvsdbException e)
        {
            Close(e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or IndexOutOfRangeException)
        {
            // JsonElement accessors throw these when a message has the wrong shape.
            Close(new OvsdbProtocolException($"{peer} sent a malformed message: {e.Message}", e));
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new OvsdbProtocolException($"{peer} sent a JSON-RPC message that is not an object: {message.ValueKind}");
        }
        var hasId = message.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null;
        if (message.TryGetProperty("method", out var method))
        {
            var parameters = message.TryGetProperty("params", out var p) ? p : default;
            if (!hasId)
            {
                onNotification(method.GetString() ?? "", parameters);
            }
            else
            {
                // Not awaited: the read loop must keep reading while the reply is written, or a
                // server that stops reading until we read could deadlock with us.
                _ = AnswerAsync(method.GetString() ?? "", parameters, id);
            }
            return;
        }
        if (!hasId || !id.TryGetInt64(out var number) || !pending.TryGetValue(number, out var request))
        {
            LogUnmatchedResponse(logger, peer, hasId ? id.GetRawText() : "null");
            return;
        }
        if (message.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            request.Fail(new OvsdbRpcException(request.Method, error));
        }
        else
        {
            request.Complete(message.TryGetProperty("result", out var result) ? result : default);
        }
    }

    // "echo" is the only request an OVSDB server sends; its result must repeat the params.
    private async Task AnswerAsync(string method, JsonElement parameters, JsonElement id)
    {
        try
        {
            await SendAsync(
                w =>
                {
                    w.WriteStartObject();
                    if (method == "echo")
                    {
                        w.WritePropertyName("result");
                        if (parameters.ValueKind == JsonValueKind.Undefined)
                        {
                            w.WriteStartArray();
                            w.WriteEndArray();
                        }
                        else
                        {
                            parameters.WriteTo(w);
                        }
                        w.WriteNull("error");
                    }
                    else
                    {
                        w.WriteNull("result");
                        w.WriteString("error", "unknown method");
                    }
                    w.WritePropertyName("id");
                    id.WriteTo(w);
                    w.WriteEndObject();
                },
                lifetime.Token);
            LogAnswered(logger, method, peer);
        }
        catch (OvsdbConnectionException)
        {
            // Already closed, and the close was logged.
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "Answered a {Method} request from {Peer}")]
    private static partial void LogAnswered(ILogger logger, string method, string peer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Peer} sent a response with id {Id} that matches no pending request")]
    private static partial void LogUnmatchedResponse(ILogger logger, string peer, string id);
}
