using System.Runtime.ExceptionServices;
using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>
/// Runs code inside a named network namespace (/run/netns/NAME, as made by <c>ip netns add</c>).
/// Interface indexes and XDP/TC attach are per namespace and setns changes only the calling
/// thread, so the action runs on a fresh thread that enters the namespace and then ends.
/// </summary>
public static class NetNs
{
    private const string NamedNamespaceDir = "/run/netns";

    public static void Run(string name, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run<object?>(name, () =>
        {
            action();
            return null;
        });
    }

    public static T Run<T>(string name, Func<T> func)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(func);
        string path = Path.Combine(NamedNamespaceDir, name);
        using var ns = new SafeBpfFd(Native.CheckLibc(Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC), $"open({path})"));

        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Native.CheckLibc(Libc.setns(ns.Fd, Libc.CLONE_NEWNET), $"setns({path}, CLONE_NEWNET)");
                result = func();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            Name = $"netns {name}",
            IsBackground = true,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
