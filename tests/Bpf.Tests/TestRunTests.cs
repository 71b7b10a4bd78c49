using Xunit;

namespace IoVisor.Bpf.Tests;

public sealed class TestRunTests : IDisposable
{
    private readonly BpfObject _obj = TestObjects.Load("maps");

    public void Dispose() => _obj.Dispose();

    [Fact]
    public void The_verdict_depends_on_the_packet_and_the_program_counts_it()
    {
        int program = _obj.Program("xdp_count").Fd;
        var counters = new BpfMap<uint, ulong>(_obj.Map("counters"));
        byte[] dropped = new byte[64];
        dropped[0] = 0xff;

        TestRunResult pass = ProgramTestRun.Run(program, new TestRunOptions { DataIn = new byte[64], Repeat = 3 });
        TestRunResult drop = ProgramTestRun.Run(program, new TestRunOptions { DataIn = dropped });

        Assert.Equal(XdpVerdict.Pass, pass.ReturnValue);
        Assert.Equal(XdpVerdict.Drop, drop.ReturnValue);
        Assert.True(counters.TryLookup(0, out ulong zeros));
        Assert.Equal(3ul, zeros);
        Assert.True(counters.TryLookup(0xff, out ulong ffs));
        Assert.Equal(1ul, ffs);
    }

    [Fact]
    public void The_output_holds_the_packet_as_the_program_left_it()
    {
        byte[] frame = [.. Enumerable.Range(0, 60).Select(i => (byte)i)];

        TestRunResult result = ProgramTestRun.Run(_obj.Program("xdp_rewrite").Fd, new TestRunOptions { DataIn = frame });

        Assert.Equal(XdpVerdict.Tx, result.ReturnValue);
        Assert.Equal([0xab, .. frame[1..]], result.DataOut);
        Assert.Empty(result.ContextOut);
    }

    [Fact]
    public void An_output_buffer_too_small_for_the_packet_fails_with_ENOSPC()
    {
        var options = new TestRunOptions { DataIn = new byte[64], DataOutSize = 10 };

        Assert.Equal(28, Assert.Throws<BpfException>(() => ProgramTestRun.Run(_obj.Program("xdp_rewrite").Fd, options)).Errno);
    }

    [Fact]
    public void The_xdp_context_goes_in_and_comes_back()
    {
        // struct xdp_md: data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex.
        byte[] context = new byte[24];
        BitConverter.GetBytes(64u).CopyTo(context, 4);

        TestRunResult result = ProgramTestRun.Run(_obj.Program("xdp_count").Fd, new TestRunOptions { DataIn = new byte[64], ContextIn = context });

        Assert.Equal(XdpVerdict.Pass, result.ReturnValue);
        Assert.Equal(24, result.ContextOut.Length);
    }
}
