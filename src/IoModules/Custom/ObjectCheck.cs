using IoVisor.Bpf;

namespace IoVisor.IoModules.Custom;

/// <summary>What an object must be to sit in the patch panel, checked without loading it: an ELF that
/// libbpf opens, with a <c>hover_rx</c> program of the hook's type (what hover_module.h defines).</summary>
internal static class ObjectCheck
{
    public const string ProgramName = "hover_rx";

    /// <summary>Throws <see cref="ConfigException"/> naming <paramref name="field"/> when the object is unfit.</summary>
    public static void Require(byte[] elf, HookKind hook, string field)
    {
        BpfObject obj;
        try
        {
            obj = BpfObject.Open(elf, new BpfObjectOpenOptions { ObjectName = "custom" });
        }
        catch (BpfException e)
        {
            throw new ConfigException(field, $"is not a BPF object libbpf can open: {e.Message}");
        }
        using (obj)
        {
            var rx = obj.Programs.FirstOrDefault(p => p.Name == ProgramName)
                ?? throw new ConfigException(field, $"defines no {ProgramName} program (write handle_rx() and include \"hover_module.h\" after it); it has: "
                    + (obj.Programs.Count == 0 ? "none" : string.Join(", ", obj.Programs.Select(p => p.Name))));
            var expected = hook == HookKind.Xdp ? BpfProgramType.Xdp : BpfProgramType.SchedCls;
            if (rx.Type != expected)
            {
                throw new ConfigException(field,
                    $"{ProgramName} is a {rx.Type} program; a {hook.ObjectSuffix()} module needs {expected} (build with -D{(hook == HookKind.Xdp ? "HOVER_XDP" : "HOVER_TC")})");
            }
        }
    }
}
