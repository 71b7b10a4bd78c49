using System.Runtime.InteropServices;
using IoVisor.Bpf.Interop;
using Xunit;

namespace IoVisor.Bpf.Tests;

/// <summary>
/// Interop struct layouts against the C headers (libbpf 1.1, linux/bpf.h, x86_64). The
/// numbers were measured once with sizeof/offsetof in C; a mismatch means libbpf or the
/// kernel would read garbage.
/// </summary>
public sealed unsafe class InteropLayoutTests
{
    [Fact]
    public void BpfObjectOpenOpts_matches_libbpf()
    {
        Assert.Equal(80, sizeof(BpfObjectOpenOpts));
        AssertOffset<BpfObjectOpenOpts>(nameof(BpfObjectOpenOpts.ObjectName), 8);
        AssertOffset<BpfObjectOpenOpts>(nameof(BpfObjectOpenOpts.RelaxedMaps), 16);
        AssertOffset<BpfObjectOpenOpts>(nameof(BpfObjectOpenOpts.PinRootPath), 24);
        AssertOffset<BpfObjectOpenOpts>(nameof(BpfObjectOpenOpts.Kconfig), 40);
        AssertOffset<BpfObjectOpenOpts>(nameof(BpfObjectOpenOpts.BtfCustomPath), 48);
        AssertOffset<BpfObjectOpenOpts>(nameof(BpfObjectOpenOpts.KernelLogBuf), 56);
        AssertOffset<BpfObjectOpenOpts>(nameof(BpfObjectOpenOpts.KernelLogSize), 64);
        AssertOffset<BpfObjectOpenOpts>(nameof(BpfObjectOpenOpts.KernelLogLevel), 72);
    }

    [Fact]
    public void BpfTestRunOpts_matches_libbpf()
    {
        Assert.Equal(80, sizeof(BpfTestRunOpts));
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.DataIn), 8);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.DataOut), 16);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.DataSizeIn), 24);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.DataSizeOut), 28);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.CtxIn), 32);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.CtxOut), 40);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.CtxSizeIn), 48);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.CtxSizeOut), 52);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.Retval), 56);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.Repeat), 60);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.Duration), 64);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.Flags), 68);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.Cpu), 72);
        AssertOffset<BpfTestRunOpts>(nameof(BpfTestRunOpts.BatchSize), 76);
    }

    [Fact]
    public void BpfMapBatchOpts_matches_libbpf()
    {
        Assert.Equal(24, sizeof(BpfMapBatchOpts));
        AssertOffset<BpfMapBatchOpts>(nameof(BpfMapBatchOpts.ElemFlags), 8);
        AssertOffset<BpfMapBatchOpts>(nameof(BpfMapBatchOpts.Flags), 16);
    }

    [Fact]
    public void BpfTcHook_and_BpfTcOpts_match_libbpf()
    {
        Assert.Equal(24, sizeof(BpfTcHook));
        AssertOffset<BpfTcHook>(nameof(BpfTcHook.Ifindex), 8);
        AssertOffset<BpfTcHook>(nameof(BpfTcHook.AttachPoint), 12);
        AssertOffset<BpfTcHook>(nameof(BpfTcHook.Parent), 16);

        Assert.Equal(32, sizeof(BpfTcOpts));
        AssertOffset<BpfTcOpts>(nameof(BpfTcOpts.ProgFd), 8);
        AssertOffset<BpfTcOpts>(nameof(BpfTcOpts.Flags), 12);
        AssertOffset<BpfTcOpts>(nameof(BpfTcOpts.ProgId), 16);
        AssertOffset<BpfTcOpts>(nameof(BpfTcOpts.Handle), 20);
        AssertOffset<BpfTcOpts>(nameof(BpfTcOpts.Priority), 24);
    }

    [Fact]
    public void Kernel_info_structs_match_the_leading_fields_of_linux_bpf_h()
    {
        AssertOffset<BpfMapInfo>(nameof(BpfMapInfo.KeySize), 8);
        AssertOffset<BpfMapInfo>(nameof(BpfMapInfo.MaxEntries), 16);
        AssertOffset<BpfMapInfo>(nameof(BpfMapInfo.Name), 24);
        Assert.Equal(40, sizeof(BpfMapInfo));

        AssertOffset<BpfProgInfo>(nameof(BpfProgInfo.Tag), 8);
        AssertOffset<BpfProgInfo>(nameof(BpfProgInfo.JitedProgInsns), 24);
        AssertOffset<BpfProgInfo>(nameof(BpfProgInfo.LoadTime), 40);
        AssertOffset<BpfProgInfo>(nameof(BpfProgInfo.MapIds), 56);
        AssertOffset<BpfProgInfo>(nameof(BpfProgInfo.Name), 64);
        Assert.Equal(80, sizeof(BpfProgInfo));
    }

    [Fact]
    public void StatFs_has_the_size_of_struct_statfs()
    {
        Assert.Equal(120, sizeof(StatFs));
    }

    private static void AssertOffset<T>(string field, int expected)
        where T : unmanaged =>
        Assert.True(expected == (int)Marshal.OffsetOf<T>(field), $"{typeof(T).Name}.{field}: expected offset {expected}, got {Marshal.OffsetOf<T>(field)}");
}
