using System.Diagnostics;
using System.Net.Sockets;
using IoVisor.Bpf;
using IoVisor.SlowPath;

namespace IoVisor.Bench;

/// <summary>
/// The traffic loop (seeds from a socket in the sender namespace, the counting sink in the
/// receiver namespace that sends each frame round again) and the slow-path sender. Every case
/// names the frame it sends: the sink writes it into each frame it sends round (the template
/// map), or the slow-path case sends it from a socket.
/// </summary>
internal sealed class Traffic
{
    /// <summary>What the slow-path send keeps in flight: well under the punt ring's ~1,900
    /// records (4 MiB of 2 KiB snapshots), so the ring never overflows and the rate measured is
    /// the slow path's own, not the ring's size over the length of a burst.</summary>
    private const uint SlowPathInFlight = 1024;
    private const uint SlowPathBurst = 64;
    private const uint ProbeFrames = 5_000;
    private static readonly TimeSpan SlowPathWarmUpLimit = TimeSpan.FromSeconds(5);

    private readonly Topology _topo;
    private readonly Cleanup _cleanup;
    private readonly uint _frames;
    private readonly uint _warmup;
    /// <summary>Frames going round the loop (sink.c): enough to keep every ring on the way busy,
    /// fewer than a veth's ring holds (256).</summary>
    private const uint Population = 128;

    /// <summary>How long the loop may deliver nothing before lost frames are made up for.</summary>
    private static readonly TimeSpan LoopStall = TimeSpan.FromMilliseconds(5);

    private readonly PacketSender _seeds;
    private readonly BpfObject _sink;
    private readonly BpfMap<uint, ulong> _sinkCount;

    public Traffic(Topology topo, Cleanup cleanup, uint frames, uint warmup)
    {
        _topo = topo;
        _cleanup = cleanup;
        _frames = frames;
        _warmup = warmup;
        _sink = BpfPrograms.Load("sink.o");
        _sinkCount = new BpfMap<uint, ulong>(_sink.Map("sink_count"));
        // The devmap resolves the ifindex in the caller's namespace: the sink, in the receiver's,
        // sends frames round into the sender's veth.
        NetNs.Run(topo.SenderNs, () => _sink.Map("gen_return").Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)topo.SenderIfindex)));
        NetNs.Run(topo.ReceiverNs, () => XdpAttachment.Attach(topo.ReceiverIfindex, _sink.Program("sink_xdp").Fd, XdpMode.Native));
        // A socket belongs to the namespace it was made in, whichever thread uses it.
        _seeds = NetNs.Run(topo.SenderNs, () => new PacketSender(topo.SenderIfindex));
        cleanup.Add("seed socket", _seeds.Dispose);
    }

    /// <summary>
    /// Gives <paramref name="ifindex"/> NAPI (an XDP_PASS program) until disposed: a veth drops
    /// the frames the sender's generator redirects into its peer without it.
    /// </summary>
    public IDisposable Napi(int ifindex)
    {
        var detach = _cleanup.Scoped($"XDP_PASS on ifindex {ifindex}", () => XdpAttachment.Detach(ifindex, XdpMode.Native));
        XdpAttachment.Attach(ifindex, _sink.Program("pass_xdp").Fd, XdpMode.Native);
        return detach;
    }

    /// <summary>Sends <paramref name="frame"/> flat out; delivered = counted at the receiver / generator wall time.</summary>
    public double Send(byte[] frame) => Send(frame, _frames, _warmup);

    /// <summary>
    /// Sends as <see cref="Send(byte[])"/> does, but only as many frames as the device under test
    /// forwards in about <paramref name="duration"/> at the rate a short probe found (never more
    /// than the usual count). The generator waits for the device under test, which shares its
    /// core: nftables with 10,000 rules would take many minutes over the usual count.
    /// </summary>
    public double SendFor(byte[] frame, TimeSpan duration)
    {
        double probe = Send(frame, ProbeFrames, 0);
        uint frames = (uint)Math.Clamp(probe * duration.TotalSeconds, ProbeFrames, _frames);
        return Send(frame, frames, Math.Min(_warmup, frames / 10));
    }

    /// <summary>
    /// Sends <paramref name="frame"/> (IPv4/UDP) with every frame a new flow: the generator gives
    /// frame n its own source port and, as <paramref name="spread"/> says, source address or
    /// destination port (gen.c), numbered on across calls, so no flow repeats within a bench run.
    /// The counts are the caller's: each flow costs the device under test a conntrack entry.
    /// </summary>
    public double SendNewFlows(byte[] frame, uint frames, uint warmup, FlowSpread spread)
    {
        SetSpread(spread);
        try
        {
            return Send(frame, frames, warmup);
        }
        finally
        {
            SetSpread(FlowSpread.None);
        }
    }

    /// <summary>Writes the spread into gen_flows; the flow number stays where the generator left it.</summary>
    private void SetSpread(FlowSpread spread)
    {
        var flows = _sink.Map("gen_flows");
        var key = BitConverter.GetBytes(0u);
        var value = new byte[flows.ValueSize];
        flows.TryLookup(key, value);
        BitConverter.GetBytes((uint)spread).CopyTo(value, 0);
        flows.Update(key, value);
    }

    private double Send(byte[] frame, uint frames, uint warmup)
    {
        _sink.Map("gen_template").Update(BitConverter.GetBytes(0u), frame);
        Generate(frame, warmup);
        Thread.Sleep(100);
        ulong before = Count();
        double seconds = Generate(frame, frames);
        Thread.Sleep(100);
        ulong delivered = Count() - before;
        return delivered / seconds;
    }

    /// <summary>
    /// Sends <paramref name="total"/> copies of <paramref name="frame"/> from userspace, through
    /// an AF_PACKET socket on the sender's veth, in bursts: the next one only while fewer than
    /// <see cref="SlowPathInFlight"/> frames are unaccounted for (neither counted at the receiver
    /// nor given up as lost); then waits for the drain. Delivered per second over the whole
    /// window, from the first burst to the last frame counted. When nothing arrives for
    /// <paramref name="stall"/>, what is still unaccounted for is lost. Sent and delivered include
    /// the warm-up burst, as the daemon's counters do. Not the loop, which takes as many frames
    /// as the device under test passes, while a socket sends far faster than the slow path forwards.
    /// </summary>
    public (double Pps, long Sent, long Delivered) SendThroughSlowPath(byte[] frame, uint total, TimeSpan stall)
    {
        // A socket belongs to the namespace it was made in, whichever thread uses it.
        using var socket = NetNs.Run(_topo.SenderNs, () => new PacketSender(_topo.SenderIfindex));
        ulong start = Count();
        WarmUpSlowPath(socket, frame);
        ulong before = Count();
        var sw = Stopwatch.StartNew();
        TimeSpan lastDelivery = TimeSpan.Zero, stallSince = TimeSpan.Zero;
        long sent = 0, delivered = 0, lost = 0;
        void WaitWhile(Func<bool> busy)
        {
            while (busy())
            {
                Thread.Sleep(1);
                long now = (long)(Count() - before);
                if (now != delivered)
                {
                    delivered = now;
                    lastDelivery = stallSince = sw.Elapsed;
                }
                else if (sw.Elapsed - stallSince > stall)
                {
                    lost = sent - delivered;
                    stallSince = sw.Elapsed;
                }
            }
        }
        while (sent < total)
        {
            WaitWhile(() => sent - delivered - lost > SlowPathInFlight - SlowPathBurst);
            for (long end = Math.Min(sent + SlowPathBurst, total); sent < end; sent++)
            {
                socket.Send(frame);
            }
        }
        WaitWhile(() => delivered + lost < total);
        return (delivered == 0 ? 0 : delivered / lastDelivery.TotalSeconds, SlowPathBurst + total, (long)(Count() - start));
    }

    /// <summary>The first punt of a daemon makes the injection device and the first frames run
    /// code not yet compiled: one burst, waited for, keeps that out of the measured window.</summary>
    private void WarmUpSlowPath(PacketSender socket, byte[] frame)
    {
        ulong before = Count();
        for (int i = 0; i < SlowPathBurst; i++)
        {
            socket.Send(frame);
        }
        var deadline = Stopwatch.StartNew();
        while (Count() - before < SlowPathBurst && deadline.Elapsed < SlowPathWarmUpLimit)
        {
            Thread.Sleep(10);
        }
    }

    /// <summary>Puts <see cref="Population"/> seeds into the loop and lets frames go round until
    /// about <paramref name="frames"/> have reached the receiver; returns the seconds it took. Frames
    /// the device under test loses are made up for when nothing arrives for a while.</summary>
    private double Generate(byte[] frame, uint frames)
    {
        var budget = _sink.Map("gen_budget");
        var key = BitConverter.GetBytes(0u);
        var value = new byte[8];
        long Remaining()
        {
            budget.TryLookup(key, value);
            return BitConverter.ToInt64(value);
        }
        budget.Update(key, BitConverter.GetBytes((long)frames - Population));
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < Population; i++)
        {
            SendSeed(frame);
        }
        for (var (last, since) = (Remaining(), sw.Elapsed); last > 0;)
        {
            Thread.Sleep(1);
            var now = Remaining();
            if (now != last)
            {
                (last, since) = (now, sw.Elapsed);
            }
            else if (sw.Elapsed - since > LoopStall)
            {
                for (var i = 0; i < Population / 4; i++)
                {
                    SendSeed(frame);
                }
                since = sw.Elapsed;
            }
        }
        return sw.Elapsed.TotalSeconds;
    }

    private void SendSeed(byte[] frame)
    {
        while (true)
        {
            try
            {
                _seeds.Send(frame);
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                // The sender's veth is full: the device under test, on the same cores, is behind.
                Thread.Yield();
            }
        }
    }

    private ulong Count() => _sinkCount.LookupPerCpu(0).Aggregate(0ul, (a, b) => a + b);
}
