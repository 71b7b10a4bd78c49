using System.Diagnostics;

namespace IoVisor.Bpf.Tests;

/// <summary>
/// A network namespace of its own with a veth pair "a"/"b" (both up), made with iproute2
/// and deleted on dispose, which also removes the veths and everything attached to them.
/// </summary>
internal sealed class VethNamespace : IDisposable
{
    public VethNamespace()
    {
        Name = $"iovt-{Guid.NewGuid().ToString("N")[..10]}";
        Ip($"netns add {Name}");
        try
        {
            Ip($"-n {Name} link add name a type veth peer name b");
            Ip($"-n {Name} link set dev a up");
            Ip($"-n {Name} link set dev b up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    public int IndexOf(string device) => NetNs.Run(Name, () => Netdev.IndexOf(device));

    public void Dispose() => Ip($"netns delete {Name}");

    private static void Ip(string arguments)
    {
        var start = new ProcessStartInfo("ip", arguments) { RedirectStandardError = true };
        using Process ip = Process.Start(start)!;
        string error = ip.StandardError.ReadToEnd();
        ip.WaitForExit();
        if (ip.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {arguments} failed ({ip.ExitCode}): {error}");
        }
    }
}
