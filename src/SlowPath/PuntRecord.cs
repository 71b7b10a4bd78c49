using System.Runtime.InteropServices;
using IoVisor.IoModules;
using IoVisor.IoModules.Abi;

namespace IoVisor.SlowPath;

/// <summary>A packet a module punted: where it was, why, and the frame as captured.</summary>
public sealed record PuntRecord(int Module, int Port, uint Reason, HookKind Hook, int WireLength, byte[] Frame)
{
    public static PuntRecord Parse(ReadOnlySpan<byte> record)
    {
        var head = MemoryMarshal.Read<HoverPunt>(record);
        var size = Marshal.SizeOf<HoverPunt>();
        var cap = (int)Math.Min(head.CapLen, (uint)Math.Max(0, record.Length - size));
        return new PuntRecord((int)head.Module, (int)head.Port, head.Reason,
            head.Hook == 1 ? HookKind.Xdp : HookKind.Tc, (int)head.Len, record.Slice(size, cap).ToArray());
    }
}
