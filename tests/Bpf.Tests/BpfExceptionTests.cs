using Xunit;

namespace IoVisor.Bpf.Tests;

public sealed class BpfExceptionTests
{
    [Fact]
    public void The_message_names_the_operation_and_the_error()
    {
        var e = new BpfException("bpf_obj_get(/sys/fs/bpf/x)", 2);

        Assert.Equal("bpf_obj_get(/sys/fs/bpf/x) failed: No such file or directory (errno 2).", e.Message);
        Assert.Null(e.VerifierLog);
    }

    [Fact]
    public void EPERM_hints_at_the_capabilities_bpf_needs()
    {
        Assert.Contains("CAP_BPF", new BpfException("bpf_object__load(x)", 1).Message);
    }

    [Fact]
    public void The_kernel_internal_ENOTSUPP_is_described()
    {
        var e = new BpfNotSupportedException("bpf_map_lookup_batch(map 'm')", 524, "Batch operations on ProgArray maps", "5.6");

        Assert.Contains("Operation not supported by this kernel (ENOTSUPP)", e.Message);
        Assert.Contains("needs Linux 5.6 or newer", e.Message);
    }
}
