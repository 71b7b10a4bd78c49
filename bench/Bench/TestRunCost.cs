using IoVisor.Bpf;

namespace IoVisor.Bench;

/// <summary>One ns/packet figure: one program on one frame, by one method.</summary>
internal sealed record CostSample(string Program, string Hook, string Method, double Ns, uint Verdict);

/// <summary>ns/packet by BPF_PROG_TEST_RUN (no live frames: the verdict is returned, nothing is
/// sent) of a module's pinned hover_rx, of the whole chain from the entry program, and of an empty
/// program for calibration.</summary>
internal sealed class TestRunCost(Daemon daemon, int calls)
{
    /// <summary>Room for the whole context the kernel writes back (struct __sk_buff is the larger).</summary>
    private const int ContextOutSize = 256;

    /// <summary>One call with repeat N: valid only when the program leaves the frame as it found
    /// it, since the kernel reuses the buffer across repeats.</summary>
    public CostSample Repeated(DaemonModule module, string hook, int inPort, byte[] frame, string program)
    {
        using var rx = Prepare(module, inPort);
        var run = ProgramTestRun.Run(rx.Fd, new TestRunOptions { DataIn = frame, Repeat = (uint)calls });
        return new CostSample(program, hook, $"repeat {calls:N0}, 1 call", run.DurationNs, run.ReturnValue);
    }

    /// <summary>N calls with repeat 1, averaged: each call starts from a fresh copy of the frame,
    /// so this is the method for programs that rewrite it. Includes the test run's own per-call
    /// cost, which <see cref="Empty"/> measures.</summary>
    public CostSample Looped(DaemonModule module, string hook, int inPort, byte[] frame, string program)
    {
        using var rx = Prepare(module, inPort);
        return Loop(rx, hook, frame, null, program);
    }

    /// <summary>
    /// The whole chain a frame meets on <paramref name="ifindex"/>: the pinned entry program, the
    /// tail call into the module and the module's output, by the repeat-1 loop. The context names
    /// the ingress device, as the driver would.
    /// </summary>
    public CostSample Chain(string hook, int ifindex, byte[] frame, string program)
    {
        using var entry = BpfProgram.OpenPinned(Path.Combine(daemon.BpffsDir, $"entry_{hook}"));
        return Loop(entry, hook, frame, ChainContext(hook, ifindex, frame.Length), program);
    }

    /// <summary>The whole chain, as <see cref="Chain"/>, by one call with repeat N: valid only when
    /// no program on the way rewrites the frame, and free of the loop's per-call cost, so that
    /// differences of a few ns show.</summary>
    public CostSample ChainRepeated(string hook, int ifindex, byte[] frame, string program)
    {
        using var entry = BpfProgram.OpenPinned(Path.Combine(daemon.BpffsDir, $"entry_{hook}"));
        var run = ProgramTestRun.Run(entry.Fd, new TestRunOptions
        {
            DataIn = frame, ContextIn = ChainContext(hook, ifindex, frame.Length), ContextOutSize = ContextOutSize, Repeat = (uint)calls,
        });
        return new CostSample(program, hook, $"repeat {calls:N0}, 1 call", run.DurationNs, run.ReturnValue);
    }

    /// <summary>A program that does nothing, by the repeat-1 loop: the test run's own cost per call.</summary>
    public CostSample Empty(string hook)
    {
        using var obj = BpfPrograms.Load("empty.o");
        // Same size as the other cases' frames; the contents are never read.
        return Loop(obj.Program($"empty_{hook}"), hook, new byte[Frames.Length], null, "empty program (calibration)");
    }

    /// <summary>Opens the module's hover_rx and writes into hover_md, on every CPU, what the entry
    /// program would leave there: the module's index and the ingress port.</summary>
    private BpfProgram Prepare(DaemonModule module, int inPort)
    {
        using var md = BpfMap.OpenPinned(Path.Combine(daemon.BpffsDir, "hover_md"));
        var value = new byte[md.ValueBufferSize];
        for (int cpu = 0; cpu < BpfMap.PossibleCpus; cpu++)
        {
            BitConverter.GetBytes((uint)module.Index).CopyTo(value, cpu * md.PerCpuSlotSize);
            BitConverter.GetBytes((uint)inPort).CopyTo(value, (cpu * md.PerCpuSlotSize) + 4);
        }
        md.Update(BitConverter.GetBytes(0u), value);
        return BpfProgram.OpenPinned(Path.Combine(daemon.BpffsDir, "modules", module.Name, "hover_rx"));
    }

    private CostSample Loop(BpfProgram prog, string hook, byte[] frame, byte[]? context, string program)
    {
        long total = 0;
        uint verdict = 0;
        for (int i = 0; i < calls; i++)
        {
            var run = ProgramTestRun.Run(prog.Fd, new TestRunOptions { DataIn = frame, ContextIn = context, ContextOutSize = context is null ? null : ContextOutSize, Repeat = 1 });
            total += run.DurationNs;
            verdict = run.ReturnValue;
        }
        return new CostSample(program, hook, $"repeat 1, {calls:N0} calls", (double)total / calls, verdict);
    }

    /// <summary>struct xdp_md {data, data_end, data_meta, ingress_ifindex, ...} with data_end the
    /// frame's length; struct __sk_buff up to ifindex (offset 40), the fields before it zero.</summary>
    private static byte[] ChainContext(string hook, int ifindex, int frameLength)
    {
        if (hook == "xdp")
        {
            var xdp = new byte[24];
            BitConverter.GetBytes((uint)frameLength).CopyTo(xdp, 4);
            BitConverter.GetBytes((uint)ifindex).CopyTo(xdp, 12);
            return xdp;
        }
        var skb = new byte[44];
        BitConverter.GetBytes((uint)ifindex).CopyTo(skb, 40);
        return skb;
    }
}
