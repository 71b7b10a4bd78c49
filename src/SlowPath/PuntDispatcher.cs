using System.Diagnostics;
using IoVisor.IoModules;
using IoVisor.IoModules.Abi;

namespace IoVisor.SlowPath;

/// <summary>
/// Routes each punted packet: framework reasons (flood copies) are handled here, module reasons by
/// the handler of the module that punted. Also what module handlers use to act: injection, ARP
/// hold and counters. Runs on the slow-path thread only.
/// </summary>
public sealed class PuntDispatcher(ISlowPathTargets targets, FrameInjector injector, ArpHoldQueue holdQueue) : ISlowPath
{
    private static readonly Func<long> Clock = () => (long)Stopwatch.GetElapsedTime(0).TotalMilliseconds;

    public long Received { get; private set; }

    public long Unhandled { get; private set; }

    public ArpHoldQueue HoldQueue => holdQueue;

    public void Dispatch(PuntRecord record)
    {
        Received++;
        var target = targets.Find(record.Module);
        if (target is null)
        {
            Unhandled++;
            return;
        }
        if (record.Reason == ChainAbi.PuntFloodCopy)
        {
            target.Counters.Punted("floodCopy");
            Send(record.Module, record.Port, FrameDirection.Tx, record.Frame);
            return;
        }
        if (target.Handler is { } handler && handler.Reasons.TryGetValue(record.Reason, out var name))
        {
            target.Counters.Punted(name);
            handler.Handle(record, this);
            return;
        }
        Unhandled++;
        target.Counters.Dropped("unknownReason");
    }

    /// <summary>Timers of the hold queue; called between polls of the ring buffer.</summary>
    public void Tick() => holdQueue.Tick(this, m => targets.Find(m)?.Counters, Clock());

    public void Send(int module, int port, FrameDirection direction, ReadOnlySpan<byte> frame)
    {
        var target = targets.Find(module);
        if (target is null)
        {
            return;
        }
        injector.Inject(frame, module, port, HookOf(module), (byte)direction);
        target.Counters.Injected();
    }

    public void Hold(int module, uint nextHop, int outPort, PuntRecord punt, HoldPolicy policy, INeighbourResolver resolver)
    {
        if (targets.Find(module) is { } target)
        {
            holdQueue.Hold(this, target.Counters, module, nextHop, outPort, punt, policy, resolver, Clock());
        }
    }

    public void Resolved(int module, uint nextHop)
    {
        var released = holdQueue.Release(module, nextHop);
        if (released.Count == 0 || targets.Find(module) is not { } target)
        {
            return;
        }
        foreach (var held in released)
        {
            Send(held.Module, held.Port, FrameDirection.Rx, held.Frame);
        }
        target.Counters.Released(released.Count);
    }

    public void Dropped(int module, string reason) => targets.Find(module)?.Counters.Dropped(reason);

    private HookKind HookOf(int module) => targets.Find(module)?.Hook ?? HookKind.Tc;
}
