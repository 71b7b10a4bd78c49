using Microsoft.Extensions.Logging;

namespace IoVisor.Hover.Kernel;

/// <summary>Compensations for the kernel steps of one change, run in reverse when a later step
/// fails, so that a change is applied whole or not at all.</summary>
public sealed partial class UndoJournal(ILogger logger)
{
    private readonly Stack<(string What, Action Undo)> _steps = new();

    /// <summary>Runs <paramref name="step"/> and remembers how to take it back.</summary>
    public void Do(string what, Action step, Action undo)
    {
        step();
        _steps.Push((what, undo));
    }

    public void Rollback()
    {
        while (_steps.TryPop(out var s))
        {
            try
            {
                s.Undo();
            }
            catch (Exception e)
            {
                LogUndoFailed(logger, s.What, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not undo '{What}' after a failed change")]
    private static partial void LogUndoFailed(ILogger logger, string what, Exception e);
}
