using IoVisor.IoModules.Abi;

namespace IoVisor.SlowPath;

/// <summary>A flood copy for a port whose peer is another module: sent out of that port through
/// the injection device, so the peer module receives it through the patch panel.</summary>
public sealed class FloodCopyHandler(FrameInjector injector) : IPuntHandler
{
    public static uint Reason => ChainAbi.PuntFloodCopy;

    public void Handle(PuntRecord record) =>
        injector.Inject(record.Frame, record.Module, record.Port, record.Hook, InjectionFrame.DirectionTx);
}
