using System.Text.Json;
using IoVisor.Ovsdb.Monitoring;
using Microsoft.Extensions.Logging;

namespace IoVisor.Ovsdb;

/// <summary>Turns the server's notifications into <see cref="OvsdbNotification"/>s, in order.</summary>
public sealed partial class OvsdbConnection
{
    // Runs on the read loop: parse, queue, return. A malformed notification closes the connection.
    private void OnNotification(string method, JsonElement parameters)
    {
        OvsdbNotification? notification = method switch
        {
            "update" => Update(parameters, 1, txnIdAt: null),
            "update2" => Update(parameters, 1, txnIdAt: null),
            "update3" => Update(parameters, 2, txnIdAt: 1),
            "locked" => new LockNotification(parameters[0].GetString()!, Acquired: true),
            "stolen" => new LockNotification(parameters[0].GetString()!, Acquired: false),
            "monitor_canceled" => new MonitorCanceled(parameters[0].GetString()!),
            _ => null,
        };
        if (notification is null)
        {
            LogUnknownNotification(logger, method, Remote.Text);
            return;
        }
        notifications.Writer.TryWrite(notification);
    }

    private MonitorUpdate Update(JsonElement parameters, int updatesAt, int? txnIdAt)
    {
        var monitorId = parameters[0].GetString()!;
        if (!monitors.TryGetValue(monitorId, out var reader))
        {
            throw new OvsdbProtocolException($"{Remote} sent an update for the unknown monitor {monitorId}");
        }
        return new MonitorUpdate(
            monitorId,
            reader.Read(parameters[updatesAt], initial: false),
            txnIdAt is { } i ? ReadTxnId(parameters[i]) : null);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignoring the unknown notification {Method} from {Remote}")]
    private static partial void LogUnknownNotification(ILogger logger, string method, string remote);
}
