using Xunit;

namespace IoVisor.Bpf.Tests;

public sealed class BpfObjectTests
{
    [Fact]
    public void Open_lists_maps_and_programs_before_load()
    {
        using BpfObject obj = BpfObject.Open(TestObjects.PathOf("maps"));

        Assert.Equal("maps", obj.Name);
        Assert.False(obj.IsLoaded);
        Assert.Contains(obj.Maps, map => map.Name == "counters");
        Assert.Equal(["xdp_count", "xdp_rewrite", "xdp_entry", "xdp_drop_all"], obj.Programs.Select(p => p.Name));
        BpfMap counters = obj.Map("counters");
        Assert.Equal(BpfMapType.Hash, counters.Type);
        Assert.Equal(4, counters.KeySize);
        Assert.Equal(8, counters.ValueSize);
        Assert.Equal(256, counters.MaxEntries);
        Assert.Throws<InvalidOperationException>(() => counters.Fd);
    }

    [Fact]
    public void Load_creates_maps_and_programs()
    {
        using BpfObject obj = TestObjects.Load("maps");

        Assert.True(obj.IsLoaded);
        Assert.True(obj.Map("counters").Fd > 0);
        BpfProgram program = obj.Program("xdp_count");
        Assert.True(program.Fd > 0);
        Assert.NotEqual(0u, program.Id);
        Assert.Null(program.VerifierLog);
        Assert.Throws<InvalidOperationException>(obj.Load);
    }

    [Fact]
    public void Open_from_memory_copies_the_image_and_names_the_object()
    {
        byte[] elf = File.ReadAllBytes(TestObjects.PathOf("tc"));
        using BpfObject obj = BpfObject.Open(elf, new BpfObjectOpenOptions { ObjectName = "from_memory" });
        Array.Clear(elf);

        obj.Load();

        Assert.Equal("from_memory", obj.Name);
        Assert.True(obj.Program("tc_pass").Fd > 0);
    }

    [Fact]
    public void Missing_names_throw_KeyNotFoundException_naming_the_object()
    {
        using BpfObject obj = BpfObject.Open(TestObjects.PathOf("tc"));

        Assert.Contains("'tc'", Assert.Throws<KeyNotFoundException>(() => obj.Map("nope")).Message);
        Assert.Contains("tc_pass", Assert.Throws<KeyNotFoundException>(() => obj.Program("nope")).Message);
    }

    [Fact]
    public void Opening_a_missing_file_throws_BpfException_with_errno()
    {
        BpfException e = Assert.Throws<BpfException>(() => BpfObject.Open("/nonexistent/x.o"));

        Assert.Equal(2, e.Errno);
        Assert.Contains("bpf_object__open_file", e.Operation);
        Assert.Contains("No such file or directory", e.Message);
    }

    [Fact]
    public void Views_throw_ObjectDisposedException_after_the_object_is_closed()
    {
        BpfObject obj = TestObjects.Load("maps");
        BpfMap map = obj.Map("counters");
        BpfProgram program = obj.Program("xdp_count");

        obj.Dispose();
        obj.Dispose();

        Assert.Throws<ObjectDisposedException>(() => map.Fd);
        Assert.Throws<ObjectDisposedException>(() => program.Fd);
        Assert.Throws<ObjectDisposedException>(obj.Load);
    }

    [Fact]
    public void Closing_objects_releases_every_fd()
    {
        using (TestObjects.Load("maps"))
        {
            // Warm up: libbpf probes and runtime fds opened once.
        }

        int before = Directory.GetFiles("/proc/self/fd").Length;
        for (int i = 0; i < 10; i++)
        {
            using BpfObject obj = TestObjects.Load("maps");
            using BpfMap owned = BpfMap.FromFd(SafeBpfFd.Duplicate(obj.Map("counters").Fd));
        }

        Assert.Equal(before, Directory.GetFiles("/proc/self/fd").Length);
    }
}
