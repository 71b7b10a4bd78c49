using System.Runtime.InteropServices;

namespace IoVisor.Ovsdb.Tests.Harness;

/// <summary>Sends a signal to one process (Process.Kill only knows SIGKILL): SIGSTOP freezes a
/// server so that it stops answering without closing its sockets.</summary>
internal static partial class PosixSignal
{
    public const int SigCont = 18;
    public const int SigStop = 19;

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
