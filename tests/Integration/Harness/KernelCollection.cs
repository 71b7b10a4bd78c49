using Xunit;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>All integration tests share this collection: its fixture checks the machine once and sweeps leftovers.</summary>
[CollectionDefinition(Name)]
public sealed class KernelCollection : ICollectionFixture<KernelPreconditions>
{
    public const string Name = "kernel";
}

/// <summary>
/// Runs once before the first integration test: fails loudly (never skips) when the machine cannot run them,
/// and removes namespaces, pin directories and state directories left by a crashed run.
/// </summary>
public sealed class KernelPreconditions
{
    public KernelPreconditions()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("integration tests need root (network namespaces, BPF); running as " + Environment.UserName);
        }
        if (!Directory.Exists("/sys/fs/bpf") || !File.ReadAllText("/proc/mounts").Contains(" /sys/fs/bpf bpf ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("bpffs is not mounted at /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf)");
        }
        foreach (var tool in new[] { "ip", "ethtool", "ping", "sysctl" })
        {
            var which = Shell.Run("sh", "-c", $"command -v {tool}");
            if (!which.Succeeded)
            {
                throw new InvalidOperationException($"integration tests need `{tool}` on PATH");
            }
        }
        NetworkNamespace.SweepLeftovers();
        HoverProcess.SweepLeftovers();
    }
}
