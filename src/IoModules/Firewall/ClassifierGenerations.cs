using System.Runtime.InteropServices;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Firewall;

/// <summary>
/// The two generations of the classifier in the kernel (keys, tuple sets, live slots) and the word
/// that says which is in force. A change is written into the generation not in force, which no
/// packet reads; one map update puts it in force; once no packet reads the other generation
/// (<see cref="PacketEpoch"/>) the same change is written there, so both hold the set in force
/// again and the next change costs only what it changes.
/// </summary>
internal sealed class ClassifierGenerations(
    BpfMap<uint, uint> version,
    BpfMap<FwKey, FwVerdict> keys,
    BpfMap<uint, FwSet> sets,
    BpfMap<uint, uint> live,
    PacketEpoch epoch)
{
    public byte Active => (byte)(Version() & 1);

    /// <summary>The keys one generation can hold: half the keys' table, which holds both.</summary>
    public int KeysPerGeneration => keys.Map.MaxEntries / 2;

    public FwSet SetOf(byte generation) => sets.TryLookup(generation, out var set) ? set : default;

    /// <summary>The serial of every slot the generation uses.</summary>
    public Dictionary<int, uint> LiveSlots(byte generation) => live.LookupBatch()
        .Where(e => e.Key % 2 == generation && e.Value != 0)
        .ToDictionary(e => (int)(e.Key / 2), e => e.Value);

    public void Switch(GenerationChange change)
    {
        var current = Version();
        Write((byte)((current + 1) & 1), change);
        Flip(current);
        Write((byte)(current & 1), change);
    }

    /// <summary>Makes both generations hold <paramref name="expected"/> (every key, the set, the live
    /// slots), whatever they hold now: after a restart, or after a change that failed half way. The
    /// generation in force changes only by a flip.</summary>
    public void Reconcile(GenerationChange expected)
    {
        var wanted = expected.Writes.ToDictionary(w => w.Key, w => w.Verdict);
        var actual = keys.LookupBatch().ToList();
        var current = Version();
        var inactive = (byte)((current + 1) & 1);
        var active = (byte)(current & 1);
        var inactiveChange = Difference(inactive, wanted, actual, expected);
        var activeChange = Difference(active, wanted, actual, expected);
        Write(inactive, inactiveChange);
        if (activeChange.Writes.Count + activeChange.Deletes.Count + activeChange.Live.Count > 0
            || !Same(SetOf(active), expected.Set))
        {
            Flip(current);
            Write(active, activeChange);
        }
    }

    private uint Version() => version.TryLookup(0, out var v) ? v : 0;

    private void Flip(uint current)
    {
        version.Update(0, current + 1);
        epoch.WaitForReaders();
    }

    private void Write(byte generation, GenerationChange change)
    {
        if (change.Writes.Count > 0)
        {
            var k = change.Writes.Select(w => w.Key with { Gen = generation }).ToArray();
            var v = change.Writes.Select(w => w.Verdict).ToArray();
            keys.UpdateBatch(k, v);
        }
        foreach (var key in change.Deletes)
        {
            keys.Delete(key with { Gen = generation });
        }
        if (change.Live.Count > 0)
        {
            var slots = change.Live.Select(l => (uint)(l.Slot * 2 + generation)).ToArray();
            var serials = change.Live.Select(l => l.Serial).ToArray();
            live.UpdateBatch(slots, serials);
        }
        sets.Update(generation, change.Set);
    }

    /// <summary>What <paramref name="generation"/> needs to hold exactly what <paramref name="expected"/> says.</summary>
    private GenerationChange Difference(byte generation, Dictionary<FwKey, FwVerdict> wanted,
        List<KeyValuePair<FwKey, FwVerdict>> actual, GenerationChange expected)
    {
        var present = actual.Where(e => e.Key.Gen == generation).ToDictionary(e => e.Key with { Gen = 0 }, e => e.Value);
        var writes = wanted.Where(w => !present.TryGetValue(w.Key, out var v) || !v.Equals(w.Value)).Select(w => (w.Key, w.Value)).ToList();
        var deletes = present.Keys.Where(k => !wanted.ContainsKey(k)).ToList();
        var liveNow = LiveSlots(generation);
        var liveWanted = expected.Live.ToDictionary(l => l.Slot, l => l.Serial);
        var liveChanges = liveWanted.Where(l => !liveNow.TryGetValue(l.Key, out var s) || s != l.Value).Select(l => (l.Key, l.Value))
            .Concat(liveNow.Keys.Where(s => !liveWanted.ContainsKey(s)).Select(s => (s, 0u)))
            .ToList();
        return new GenerationChange(writes, deletes, expected.Set, liveChanges);
    }

    private static bool Same(FwSet a, FwSet b) =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<FwSet>(in a)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<FwSet>(in b)));
}
