namespace IoVisor.OvnBridge.Tests.Harness;

/// <summary>The end-to-end tests share this collection: its fixture checks the machine once and
/// sweeps what a crashed run left.</summary>
[CollectionDefinition(Name)]
public sealed class KernelCollection : ICollectionFixture<KernelPreconditions>
{
    public const string Name = "ovn-kernel";
}

/// <summary>Fails loudly (never skips) when the machine cannot run end-to-end tests.</summary>
public sealed class KernelPreconditions
{
    public KernelPreconditions()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("the end-to-end OVN tests need root (namespaces, BPF); running as " + Environment.UserName);
        }
        if (!File.ReadAllText("/proc/mounts").Contains(" /sys/fs/bpf bpf ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("bpffs is not mounted at /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf)");
        }
        VmNamespace.SweepLeftovers();
        HoverdProcess.SweepLeftovers();
    }
}
