using Xunit;

namespace IoVisor.Bpf.Tests;

public sealed class RingBufferTests : IDisposable
{
    private readonly BpfObject _obj = TestObjects.Load("ringbuf");

    public void Dispose() => _obj.Dispose();

    [Fact]
    public void A_record_written_by_a_test_run_reaches_the_callback()
    {
        var records = new List<byte[]>();
        using var reader = new RingBufferReader(_obj.Map("events"), record => records.Add(record.ToArray()));
        byte[] frame = [.. Enumerable.Range(1, 64).Select(i => (byte)i)];

        ProgramTestRun.Run(_obj.Program("xdp_report").Fd, new TestRunOptions { DataIn = frame });

        Assert.Equal(1, reader.Poll(timeoutMs: 1000));
        Assert.Equal(frame[..16], Assert.Single(records));
        Assert.Equal(0, reader.Consume());
        Assert.True(reader.EpollFd > 0);
    }

    [Fact]
    public void A_callback_exception_is_rethrown_from_Consume()
    {
        using var reader = new RingBufferReader(_obj.Map("events"), _ => throw new FormatException("bad record"));
        ProgramTestRun.Run(_obj.Program("xdp_report").Fd, new TestRunOptions { DataIn = new byte[64] });

        Assert.Equal("bad record", Assert.Throws<FormatException>(() => reader.Consume()).Message);
    }

    [Fact]
    public void Only_ring_buffer_maps_are_accepted_and_disposal_is_final()
    {
        using BpfObject maps = TestObjects.Load("maps");
        Assert.Throws<ArgumentException>(() => new RingBufferReader(maps.Map("counters"), _ => { }));

        var reader = new RingBufferReader(_obj.Map("events"), _ => { });
        reader.Dispose();
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.Poll(0));
    }
}
