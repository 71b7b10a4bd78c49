using Microsoft.Extensions.Logging;

namespace IoVisor.Ovsdb.Rpc;

/// <summary>Our inactivity probe: echo a quiet peer, drop a dead one.</summary>
internal sealed partial class JsonRpcConnection
{
    private async Task ProbeLoopAsync()
    {
        using var timer = new PeriodicTimer(probe.CheckPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(lifetime.Token))
            {
                switch (probe.Check())
                {
                    case InactivityProbe.Verdict.SendProbe:
                        LogProbing(logger, peer, probe.Interval.TotalMilliseconds);
                        _ = ProbeAsync();
                        break;
                    case InactivityProbe.Verdict.Dead:
                        Close(new OvsdbConnectionException(
                            $"{peer} sent nothing for {2 * probe.Interval.TotalSeconds:0.###} s, not even a reply to an echo probe"));
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeAsync()
    {
        try
        {
            await RequestAsync("echo", w => { w.WriteStartArray(); w.WriteEndArray(); }, lifetime.Token);
        }
        catch (OvsdbException)
        {
            // The probe's only purpose is to make the peer talk; failures surface as a close.
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Peer} idle for {IntervalMs} ms, sending an echo probe")]
    private static partial void LogProbing(ILogger logger, string peer, double intervalMs);
}
