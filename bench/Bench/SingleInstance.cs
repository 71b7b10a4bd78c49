namespace IoVisor.Bench;

/// <summary>
/// One bench at a time on a host: the Linux cases give the root namespace's interfaces the same
/// addresses in every instance (two would steal each other's routes), and two benches would share
/// the cores. A later instance waits for the lock, which the kernel drops when its holder exits,
/// however it exits. The lock file stays in /run/lock (tmpfs): unlinking it would let a waiting
/// instance lock a file that a third one no longer sees.
/// </summary>
internal static class SingleInstance
{
    private const string LockPath = "/run/lock/iovisor-bench.lock";

    /// <summary>What flock(2) fails with when another process holds the lock (.NET reports errno as HResult).</summary>
    private const int EWouldBlock = 11;

    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>Holds the lock until disposed.</summary>
    public static IDisposable Acquire()
    {
        bool told = false;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix.
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e.HResult == EWouldBlock)
            {
                if (!told)
                {
                    Console.Error.WriteLine($"another bench holds {LockPath}: waiting for it to finish");
                    told = true;
                }
                Thread.Sleep(RetryInterval);
            }
        }
    }
}
