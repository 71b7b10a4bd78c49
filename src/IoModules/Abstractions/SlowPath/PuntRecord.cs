using System.Runtime.InteropServices;
using IoVisor.IoModules.Abi;

namespace IoVisor.IoModules;

/// <summary>A packet a module punted: where it was, why, the scratch words the module left for
/// the slow path, and the frame as captured.</summary>
public sealed record PuntRecord(int Module, int Port, uint Reason, HookKind Hook, int WireLength, ulong[] Words, byte[] Frame)
{
    public static unsafe PuntRecord Parse(ReadOnlySpan<byte> record)
    {
        var head = MemoryMarshal.Read<HoverPunt>(record);
        var size = Marshal.SizeOf<HoverPunt>();
        var cap = (int)Math.Min(head.CapLen, (uint)Math.Max(0, record.Length - size));
        ulong[] words = [head.Words[0], head.Words[1], head.Words[2], head.Words[3]];
        return new PuntRecord((int)head.Module, (int)head.Port, head.Reason,
            head.Hook == 1 ? HookKind.Xdp : HookKind.Tc, (int)head.Len, words, record.Slice(size, cap).ToArray());
    }
}
