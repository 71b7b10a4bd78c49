using IoVisor.Bpf;
using Microsoft.Extensions.Logging;

namespace IoVisor.SlowPath;

/// <summary>The one reader of the punt ring buffer: parses each record and hands it to the
/// handler of its reason. Runs on its own thread until cancelled.</summary>
public sealed partial class PuntConsumer(BpfMap ring, IReadOnlyDictionary<uint, IPuntHandler> handlers, ILogger logger)
{
    public long Received { get; private set; }

    public long Unhandled { get; private set; }

    public Thread Start(CancellationToken ct)
    {
        var thread = new Thread(() => Run(ct)) { IsBackground = true, Name = "punt-consumer" };
        thread.Start();
        return thread;
    }

    private void Run(CancellationToken ct)
    {
        using var reader = new RingBufferReader(ring, Dispatch);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                reader.Poll(200);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogHandlerFailed(logger, e);
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> data)
    {
        var record = PuntRecord.Parse(data);
        Received++;
        if (handlers.TryGetValue(record.Reason, out var handler))
        {
            handler.Handle(record);
        }
        else
        {
            Unhandled++;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A punted packet could not be handled")]
    private static partial void LogHandlerFailed(ILogger logger, Exception e);
}

/// <summary>Handles punted packets of one reason.</summary>
public interface IPuntHandler
{
    void Handle(PuntRecord record);
}
