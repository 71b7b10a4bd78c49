using Xunit;

namespace IoVisor.Bpf.Tests;

public sealed class VerifierTests
{
    [Fact]
    public void A_rejected_program_fails_the_load_with_the_verifier_log()
    {
        using BpfObject obj = BpfObject.Open(TestObjects.PathOf("reject"));

        BpfException e = Assert.Throws<BpfException>(obj.Load);

        Assert.Equal("bpf_object__load(reject)", e.Operation);
        Assert.Contains("invalid access to packet", e.VerifierLog);
        Assert.Contains("xdp_out_of_bounds", e.Message);
        Assert.Contains("invalid access to packet", e.Message);
        Assert.Equal(e.VerifierLog, obj.Program("xdp_out_of_bounds").VerifierLog);
        Assert.False(obj.IsLoaded);
    }

    [Fact]
    public void The_message_shows_only_the_end_of_a_long_log()
    {
        using BpfObject obj = BpfObject.Open(TestObjects.PathOf("reject"));

        BpfException e = Assert.Throws<BpfException>(obj.Load);

        int logLines = e.VerifierLog!.TrimEnd('\n').Split('\n').Length;
        int messageLines = e.Message.Split('\n').Length;
        Assert.True(messageLines <= 21, $"message has {messageLines} lines");
        Assert.True(logLines >= messageLines - 1);
    }

    [Fact]
    public void A_log_too_big_for_the_buffer_is_retried_with_a_bigger_one()
    {
        using BpfObject roomy = BpfObject.Open(TestObjects.PathOf("reject"));
        using BpfObject cramped = BpfObject.Open(TestObjects.PathOf("reject"), new BpfObjectOpenOptions { VerifierLogSize = 64 });

        string? full = Assert.Throws<BpfException>(roomy.Load).VerifierLog;
        BpfException e = Assert.Throws<BpfException>(cramped.Load);

        Assert.Equal(13, e.Errno);
        Assert.Equal(full, e.VerifierLog);
        Assert.True(full!.Length > 64);
    }
}
