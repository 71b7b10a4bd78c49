namespace IoVisor.Bpf.Tests;

/// <summary>The BPF objects compiled from bpf/*.c by the test project's build.</summary>
internal static class TestObjects
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "bpf", name + ".o");

    public static BpfObject Load(string name, BpfObjectOpenOptions? options = null)
    {
        BpfObject obj = BpfObject.Open(PathOf(name), options);
        try
        {
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }
}
