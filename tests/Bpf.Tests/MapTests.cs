using Xunit;

namespace IoVisor.Bpf.Tests;

public sealed class MapTests : IDisposable
{
    private readonly BpfObject _obj = TestObjects.Load("maps");

    public void Dispose() => _obj.Dispose();

    [Fact]
    public void Raw_lookup_update_delete()
    {
        BpfMap map = _obj.Map("counters");
        byte[] key = BitConverter.GetBytes(7u);
        var value = new byte[8];

        Assert.False(map.TryLookup(key, value));
        map.Update(key, BitConverter.GetBytes(42ul));
        Assert.True(map.TryLookup(key, value));
        Assert.Equal(42ul, BitConverter.ToUInt64(value));
        Assert.True(map.Delete(key));
        Assert.False(map.Delete(key));
    }

    [Fact]
    public void Wrong_sizes_are_rejected_before_the_kernel_sees_them()
    {
        BpfMap map = _obj.Map("counters");

        Assert.Throws<ArgumentException>(() => map.Update(new byte[3], new byte[8]));
        Assert.Throws<ArgumentException>(() => map.Update(new byte[4], new byte[4]));
        Assert.Throws<ArgumentException>(() => new BpfMap<uint, uint>(map));
    }

    [Fact]
    public void Update_flags_reach_the_kernel()
    {
        var map = new BpfMap<uint, ulong>(_obj.Map("counters"));

        Assert.Equal(2, Assert.Throws<BpfException>(() => map.Update(1, 1, BpfUpdateFlags.Exist)).Errno);
        map.Update(1, 1, BpfUpdateFlags.NoExist);
        BpfException exists = Assert.Throws<BpfException>(() => map.Update(1, 2, BpfUpdateFlags.NoExist));
        Assert.Equal(17, exists.Errno);
        Assert.Contains("counters", exists.Message);
        map.Update(1, 3, BpfUpdateFlags.Exist);
        Assert.True(map.TryLookup(1, out ulong value));
        Assert.Equal(3ul, value);
    }

    [Fact]
    public void Typed_iteration_and_clear()
    {
        var map = new BpfMap<uint, ulong>(_obj.Map("counters"));
        for (uint i = 0; i < 50; i++)
        {
            map.Update(i, i * 10);
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (uint)i), map.Keys().Order());
        Assert.All(map.Entries(), entry => Assert.Equal(entry.Key * 10ul, entry.Value));

        map.Clear();

        Assert.Empty(map.Keys());
    }

    [Fact]
    public void TryGetNextKey_walks_from_the_first_key_to_the_end()
    {
        BpfMap map = _obj.Map("counters");
        map.Update(BitConverter.GetBytes(5u), new byte[8]);
        var next = new byte[4];

        Assert.True(map.TryGetNextKey([], next));
        Assert.Equal(5u, BitConverter.ToUInt32(next));
        Assert.False(map.TryGetNextKey(next, new byte[4]));
    }

    [Fact]
    public void Array_entries_always_exist_and_cannot_be_deleted()
    {
        var map = new BpfMap<uint, ulong>(_obj.Map("slots"));

        Assert.True(map.TryLookup(3, out ulong value));
        Assert.Equal(0ul, value);
        Assert.False(map.TryLookup(4, out _));
        Assert.Equal(4, map.Keys().Count());
        Assert.Throws<InvalidOperationException>(map.Clear);
        Assert.Equal(22, Assert.Throws<BpfException>(() => map.Delete(0)).Errno);
    }

    [Fact]
    public void Batch_update_lookup_delete()
    {
        var map = new BpfMap<uint, ulong>(_obj.Map("counters"));
        uint[] keys = [.. Enumerable.Range(1, 100).Select(i => (uint)i)];
        ulong[] values = [.. keys.Select(k => k * 3ul)];

        Assert.Equal(100, map.UpdateBatch(keys, values));

        Dictionary<uint, ulong> read = map.LookupBatch(batchSize: 16).ToDictionary();
        Assert.Equal(100, read.Count);
        Assert.All(read, entry => Assert.Equal(entry.Key * 3ul, entry.Value));

        Assert.Equal(60, map.DeleteBatch(keys.AsSpan(0, 60)));
        Assert.Equal(40, map.Keys().Count());
    }

    [Fact]
    public void Batch_lookup_of_an_empty_map_finishes_at_once()
    {
        var map = new BpfMap<uint, ulong>(_obj.Map("counters"));

        Assert.Empty(map.LookupBatch());
    }

    [Fact]
    public void Per_cpu_values_have_one_padded_slot_per_possible_cpu()
    {
        BpfMap raw = _obj.Map("percpu_hits");
        var map = new BpfMap<uint, uint>(raw);
        uint[] values = [.. Enumerable.Range(1, BpfMap.PossibleCpus).Select(i => (uint)i * 100)];

        Assert.True(raw.IsPerCpu);
        Assert.Equal(8 * BpfMap.PossibleCpus, raw.ValueBufferSize);
        map.UpdatePerCpu(0, values);

        Assert.Equal(values, map.LookupPerCpu(0));
        Assert.Throws<InvalidOperationException>(() => map.TryLookup(0, out _));
    }

    [Fact]
    public void A_program_updates_a_per_cpu_map_on_the_cpu_it_ran_on()
    {
        var map = new BpfMap<uint, uint>(_obj.Map("percpu_hits"));

        ProgramTestRun.Run(_obj.Program("xdp_count").Fd, new TestRunOptions { DataIn = new byte[64], Repeat = 5 });

        Assert.Equal(5u, map.LookupPerCpu(0).Aggregate(0u, (sum, hits) => sum + hits));
    }

    [Fact]
    public void Maps_without_batch_support_throw_BpfNotSupportedException()
    {
        BpfMap jumps = _obj.Map("jumps");

        BpfNotSupportedException e = Assert.Throws<BpfNotSupportedException>(() => jumps.LookupBatch(new BpfMapBatchCursor(), new byte[4], new byte[4]));

        Assert.Contains("ProgArray", e.Feature);
    }

    [Fact]
    public void Program_array_slots_redirect_tail_calls()
    {
        BpfMap jumps = _obj.Map("jumps");
        int entry = _obj.Program("xdp_entry").Fd;
        var frame = new TestRunOptions { DataIn = new byte[64] };

        ProgArray.Set(jumps, 0, _obj.Program("xdp_drop_all").Fd);
        Assert.Equal(XdpVerdict.Drop, ProgramTestRun.Run(entry, frame).ReturnValue);

        ProgArray.Clear(jumps, 0);
        ProgArray.Clear(jumps, 0);
        Assert.Equal(XdpVerdict.Pass, ProgramTestRun.Run(entry, frame).ReturnValue);
        Assert.Throws<ArgumentException>(() => ProgArray.Set(_obj.Map("slots"), 0, entry));
    }

    [Fact]
    public void Feature_probe_accepts_the_map_types_the_datapath_uses()
    {
        BpfFeatures.RequireMapType(BpfMapType.RingBuf);
        BpfFeatures.RequireMapType(BpfMapType.DevMapHash);
        BpfFeatures.RequireMapType(BpfMapType.LpmTrie);
    }
}
