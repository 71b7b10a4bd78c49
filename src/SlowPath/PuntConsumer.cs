using IoVisor.Bpf;
using IoVisor.IoModules;
using Microsoft.Extensions.Logging;

namespace IoVisor.SlowPath;

/// <summary>The one reader of the punt ring buffer: parses each record and hands it to the
/// dispatcher; between polls it runs the dispatcher's timers. Runs on its own thread until
/// cancelled, so module handlers never need locks.</summary>
public sealed partial class PuntConsumer(BpfMap ring, PuntDispatcher dispatcher, ILogger logger)
{
    /// <summary>Longest wait for a record; bounds how late a timer (an ARP retry) can fire.</summary>
    private const int PollMs = 50;

    public Thread Start(CancellationToken ct)
    {
        var thread = new Thread(() => Run(ct)) { IsBackground = true, Name = "punt-consumer" };
        thread.Start();
        return thread;
    }

    private void Run(CancellationToken ct)
    {
        using var reader = new RingBufferReader(ring, data => dispatcher.Dispatch(PuntRecord.Parse(data)));
        while (!ct.IsCancellationRequested)
        {
            try
            {
                reader.Poll(PollMs);
                dispatcher.Tick();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogHandlerFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A punted packet could not be handled")]
    private static partial void LogHandlerFailed(ILogger logger, Exception e);
}
