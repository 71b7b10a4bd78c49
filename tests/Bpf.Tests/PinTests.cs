using Xunit;

namespace IoVisor.Bpf.Tests;

public sealed class PinTests : IDisposable
{
    private readonly PinDirectory _pins = new();

    public void Dispose() => _pins.Dispose();

    [Fact]
    public void A_pinned_map_reopens_with_its_shape_and_contents()
    {
        using (BpfObject obj = TestObjects.Load("maps"))
        {
            BpfMap counters = obj.Map("counters");
            new BpfMap<uint, ulong>(counters).Update(9, 99);
            counters.Pin(_pins["counters"]);
        }

        using BpfMap reopened = BpfMap.OpenPinned(_pins["counters"]);

        Assert.Equal("counters", reopened.Name);
        Assert.Equal(BpfMapType.Hash, reopened.Type);
        Assert.Equal((4, 8, 256), (reopened.KeySize, reopened.ValueSize, reopened.MaxEntries));
        Assert.True(new BpfMap<uint, ulong>(reopened).TryLookup(9, out ulong value));
        Assert.Equal(99ul, value);
    }

    [Fact]
    public void A_pinned_program_reopens_with_its_name_and_id()
    {
        using BpfObject obj = TestObjects.Load("maps");
        BpfProgram program = obj.Program("xdp_count");
        program.Pin(_pins["prog"]);

        using BpfProgram reopened = BpfProgram.OpenPinned(_pins["prog"]);

        Assert.Equal("xdp_count", reopened.Name);
        Assert.Equal(program.Id, reopened.Id);
        Assert.Equal(XdpVerdict.Pass, ProgramTestRun.Run(reopened.Fd, new TestRunOptions { DataIn = new byte[64] }).ReturnValue);
    }

    [Fact]
    public void Pin_replaces_what_is_pinned_at_the_path()
    {
        using BpfObject obj = TestObjects.Load("maps");
        obj.Program("xdp_count").Pin(_pins["prog"]);
        obj.Program("xdp_drop_all").Pin(_pins["prog"]);

        using BpfProgram reopened = BpfProgram.OpenPinned(_pins["prog"]);

        Assert.Equal(obj.Program("xdp_drop_all").Id, reopened.Id);
    }

    [Fact]
    public void Opening_a_pin_of_the_wrong_kind_fails()
    {
        using BpfObject obj = TestObjects.Load("maps");
        obj.Program("xdp_count").Pin(_pins["prog"]);
        obj.Map("counters").Pin(_pins["map"]);

        Assert.Contains("not a bpf-map", Assert.Throws<BpfException>(() => BpfMap.OpenPinned(_pins["prog"])).Message);
        Assert.Contains("not a bpf-prog", Assert.Throws<BpfException>(() => BpfProgram.OpenPinned(_pins["map"])).Message);
        Assert.Equal(2, Assert.Throws<BpfException>(() => BpfMap.OpenPinned(_pins["missing"])).Errno);
    }

    [Fact]
    public void SetPinPath_pins_on_load_and_a_second_object_reuses_the_map()
    {
        using BpfObject first = BpfObject.Open(TestObjects.PathOf("maps"));
        first.Map("counters").SetPinPath(_pins["shared"]);
        first.Load();
        Assert.True(File.Exists(_pins["shared"]));
        new BpfMap<uint, ulong>(first.Map("counters")).Update(1, 11);

        using BpfObject second = BpfObject.Open(TestObjects.PathOf("maps"));
        second.Map("counters").SetPinPath(_pins["shared"]);
        second.Load();

        Assert.True(new BpfMap<uint, ulong>(second.Map("counters")).TryLookup(1, out ulong value));
        Assert.Equal(11ul, value);
        Assert.Throws<InvalidOperationException>(() => second.Map("counters").SetPinPath(_pins["late"]));
    }

    [Fact]
    public void SetPinPath_reuses_a_pinned_devmap()
    {
        using BpfObject first = BpfObject.Open(TestObjects.PathOf("maps"));
        first.Map("ports").SetPinPath(_pins["ports"]);
        first.Load();
        new BpfMap<uint, uint>(first.Map("ports")).Update(0, (uint)Netdev.IndexOf("lo"));

        using BpfObject second = BpfObject.Open(TestObjects.PathOf("maps"));
        second.Map("ports").SetPinPath(_pins["ports"]);
        second.Load();

        Assert.True(new BpfMap<uint, uint>(second.Map("ports")).TryLookup(0, out uint ifindex));
        Assert.Equal((uint)Netdev.IndexOf("lo"), ifindex);
    }

    [Fact]
    public void PinRoot_places_maps_pinned_by_name()
    {
        using BpfObject obj = TestObjects.Load("pinned", new BpfObjectOpenOptions { PinRoot = _pins.Path });

        using BpfMap reopened = BpfMap.OpenPinned(_pins["pinned_by_name"]);

        Assert.Equal(obj.Map("pinned_by_name").KeySize, reopened.KeySize);
    }

    [Fact]
    public void Unpin_removes_the_pin_and_tolerates_absence()
    {
        using BpfObject obj = TestObjects.Load("maps");
        BpfMap map = obj.Map("counters");
        map.Pin(_pins["map"]);

        map.Unpin(_pins["map"]);
        map.Unpin(_pins["map"]);

        Assert.False(File.Exists(_pins["map"]));
    }

    [Fact]
    public void BpfFs_knows_its_mount()
    {
        Assert.True(BpfFs.IsBpfFs(BpfFs.DefaultMountPoint));
        Assert.True(BpfFs.IsBpfFs(_pins.Path));
        Assert.False(BpfFs.IsBpfFs("/tmp"));
        Assert.False(BpfFs.IsBpfFs("/nonexistent"));
        Assert.Throws<BpfException>(() => BpfFs.EnsureMounted(Path.Combine(Path.GetTempPath(), $"iovisor-test-{Guid.NewGuid():N}")));
    }
}
