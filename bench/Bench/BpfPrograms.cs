using IoVisor.Bpf;

namespace IoVisor.Bench;

/// <summary>The bench's own BPF objects (generator, sink, ceiling), built next to the binary.</summary>
internal static class BpfPrograms
{
    public static BpfObject Load(string file)
    {
        var obj = BpfObject.Open(Path.Combine(AppContext.BaseDirectory, "bpf", file));
        obj.Load();
        return obj;
    }
}
