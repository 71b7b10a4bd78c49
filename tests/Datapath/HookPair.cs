using IoVisor.Bpf;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// A class fixture holding the same datapath loaded for both hooks, tc and xdp, each under its own pin
/// root in one temporary bpffs directory. Dispose removes the directory, also when loading failed
/// halfway, so no pin outlives the test class.
/// </summary>
public abstract class HookPair<THook> : IDisposable
    where THook : class, IDisposable
{
    /// <param name="name">Part of the temporary directory's name, to tell fixtures apart on bpffs.</param>
    /// <param name="load">Loads the datapath of a hook ("tc" or "xdp") under the pin root given.</param>
    protected HookPair(string name, Func<string, string, THook> load)
    {
        DatapathObjects.RequireRoot();
        Root = $"{BpfFs.DefaultMountPoint}/iovisor-{name}-{Guid.NewGuid():N}";
        BpfFs.EnsureMounted(Root);
        try
        {
            Tc = load("tc", Path.Combine(Root, "tc"));
            Xdp = load("xdp", Path.Combine(Root, "xdp"));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Root { get; }

    // Null only while a failed constructor disposes what it loaded.
    public THook Tc { get; } = null!;

    public THook Xdp { get; } = null!;

    public THook this[string hook] => hook switch
    {
        "tc" => Tc,
        "xdp" => Xdp,
        _ => throw new ArgumentOutOfRangeException(nameof(hook), hook, "tc or xdp"),
    };

    public void Dispose()
    {
        Tc?.Dispose();
        Xdp?.Dispose();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}
