using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>BPF_PROG_TEST_RUN: runs a loaded program on a crafted packet, without any interface.</summary>
public static unsafe class ProgramTestRun
{
    public static TestRunResult Run(int progFd, TestRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        byte[] dataIn = options.DataIn ?? [];
        byte[] contextIn = options.ContextIn ?? [];
        bool liveFrames = (options.Flags & TestRunOptions.XdpLiveFrames) != 0;
        // Live frames leave the host; the kernel rejects an output buffer for them.
        var dataOut = new byte[liveFrames ? 0 : options.DataOutSize ?? dataIn.Length + 256];
        var contextOut = new byte[options.ContextOutSize ?? contextIn.Length];

        fixed (byte* din = dataIn)
        fixed (byte* dout = dataOut)
        fixed (byte* cin = contextIn)
        fixed (byte* cout = contextOut)
        {
            BpfTestRunOpts opts = BpfTestRunOpts.Create();
            opts.DataIn = dataIn.Length > 0 ? din : null;
            opts.DataSizeIn = (uint)dataIn.Length;
            opts.DataOut = dataOut.Length > 0 ? dout : null;
            opts.DataSizeOut = (uint)dataOut.Length;
            opts.CtxIn = contextIn.Length > 0 ? cin : null;
            opts.CtxSizeIn = (uint)contextIn.Length;
            opts.CtxOut = contextOut.Length > 0 ? cout : null;
            opts.CtxSizeOut = (uint)contextOut.Length;
            opts.Repeat = checked((int)options.Repeat);
            opts.Flags = options.Flags;
            opts.Cpu = options.Cpu;
            opts.BatchSize = options.BatchSize;

            Native.Check(LibBpf.bpf_prog_test_run_opts(progFd, &opts), $"bpf_prog_test_run_opts(fd {progFd})");
            return new TestRunResult(
                opts.Retval,
                opts.Duration,
                dataOut.AsSpan(0, Math.Min((int)opts.DataSizeOut, dataOut.Length)).ToArray(),
                contextOut.AsSpan(0, Math.Min((int)opts.CtxSizeOut, contextOut.Length)).ToArray());
        }
    }
}
