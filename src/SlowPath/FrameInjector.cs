using IoVisor.IoModules;

namespace IoVisor.SlowPath;

/// <summary>Re-injects frames into the datapath at any module port, in either direction. The
/// injection device is made on first use: graphs without module-to-module links never need one.</summary>
public sealed class FrameInjector(Func<PacketSender> openDevice)
{
    private readonly Lazy<PacketSender> _sender = new(openDevice);

    public long Injected { get; private set; }

    public void Inject(ReadOnlySpan<byte> frame, int module, int port, HookKind hook, byte direction)
    {
        _sender.Value.Send(InjectionFrame.Build(frame, module, port, hook, direction));
        Injected++;
    }
}
