namespace IoVisor.Bpf.Tests;

/// <summary>A private bpffs directory for one test, removed with everything pinned in it.</summary>
internal sealed class PinDirectory : IDisposable
{
    public PinDirectory()
    {
        Path = $"{BpfFs.DefaultMountPoint}/iovisor-test-{Guid.NewGuid():N}";
        BpfFs.EnsureMounted(Path);
    }

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
