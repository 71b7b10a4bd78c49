using System.Runtime.InteropServices;
using IoVisor.IoModules;
using IoVisor.IoModules.Abi;

namespace IoVisor.SlowPath;

/// <summary>Builds what is written to the injection device: the frame with a struct hover_inject
/// at its end, so the target (module, port, direction) travels with the frame and the
/// injector in the kernel needs no state of its own.</summary>
public static class InjectionFrame
{
    public const byte DirectionRx = 0;
    public const byte DirectionTx = 1;

    public static byte[] Build(ReadOnlySpan<byte> frame, int module, int port, HookKind hook, byte direction)
    {
        if (frame.Length < 14)
        {
            throw new ArgumentException("a frame has at least an Ethernet header", nameof(frame));
        }
        var header = new HoverInject
        {
            Magic = ChainAbi.InjectMagic,
            Module = (ushort)module,
            Port = (ushort)port,
            Hook = hook == HookKind.Xdp ? (byte)1 : (byte)0,
            Direction = direction,
        };
        var result = new byte[frame.Length + Marshal.SizeOf<HoverInject>()];
        frame.CopyTo(result);
        MemoryMarshal.Write(result.AsSpan(frame.Length), in header);
        return result;
    }
}
