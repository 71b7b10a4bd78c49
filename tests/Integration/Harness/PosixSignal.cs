using System.Runtime.InteropServices;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>Sends a signal to one process by id (Process.Kill only knows SIGKILL).</summary>
internal static partial class PosixSignal
{
    public const int SigTerm = 15;

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
