namespace IoVisor.Bench;

/// <summary>Undo actions, run last-registered first exactly once: at the end, on failure or on Ctrl+C.</summary>
internal sealed class Cleanup
{
    private readonly Lock _lock = new();
    private readonly Stack<(string What, Action Undo)> _actions = new();
    private bool _done;

    public void Add(string what, Action undo)
    {
        lock (_lock)
        {
            _actions.Push((what, undo));
        }
    }

    /// <summary>Registers <paramref name="undo"/> and returns a handle that runs it when the case is
    /// done with it; it runs at most once, whichever comes first.</summary>
    public IDisposable Scoped(string what, Action undo)
    {
        var once = new RunOnce(undo);
        Add(what, once.Dispose);
        return once;
    }

    public void RunAll()
    {
        lock (_lock)
        {
            if (_done)
            {
                return;
            }
            _done = true;
            while (_actions.TryPop(out var a))
            {
                try
                {
                    a.Undo();
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine($"cleanup: {a.What}: {e.Message}");
                }
            }
        }
    }

    private sealed class RunOnce(Action undo) : IDisposable
    {
        private int _ran;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ran, 1) == 0)
            {
                undo();
            }
        }
    }
}
