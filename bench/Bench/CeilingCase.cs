using IoVisor.Bpf;

namespace IoVisor.Bench;

/// <summary>The least an XDP program can do to forward: one redirect from HostIn to HostOut.</summary>
internal sealed class CeilingCase
{
    private readonly Topology _topo;
    private readonly Traffic _traffic;
    private readonly Cleanup _cleanup;
    private readonly BpfObject _ceiling;
    private readonly byte[] _frame;

    public CeilingCase(Topology topo, Traffic traffic, Cleanup cleanup)
    {
        _topo = topo;
        _traffic = traffic;
        _cleanup = cleanup;
        _ceiling = BpfPrograms.Load("ceiling.o");
        _ceiling.Map("ceiling_tx").Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)topo.HostOutIfindex));
        _frame = Frames.Udp(topo.ReceiverMac, topo.SenderMac, Frames.SenderIp, Frames.BridgedReceiverIp);
    }

    public double Measure()
    {
        using var detach = _cleanup.Scoped("ceiling program", () => XdpAttachment.Detach(_topo.HostInIfindex, XdpMode.Native));
        XdpAttachment.Attach(_topo.HostInIfindex, _ceiling.Program("ceiling_xdp").Fd, XdpMode.Native);
        return _traffic.Send(_frame);
    }
}
