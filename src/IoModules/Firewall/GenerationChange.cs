namespace IoVisor.IoModules.Firewall;

/// <summary>
/// What one rule set change writes into a generation of the classifier: keys to write and to delete
/// (generation left 0; the writer sets it), the tuple set, and the serials of the slots whose rules
/// enter (a serial) or leave (0). The same change goes into both generations, one after the other.
/// </summary>
internal sealed record GenerationChange(
    IReadOnlyList<(FwKey Key, FwVerdict Verdict)> Writes,
    IReadOnlyList<FwKey> Deletes,
    FwSet Set,
    IReadOnlyList<(int Slot, uint Serial)> Live)
{
    /// <summary>From <paramref name="before"/> to <paramref name="after"/>: only the keys the change
    /// touched, and of those only what differs (a key keeps its place when the best rule stays).</summary>
    public static GenerationChange Between(TupleSpace before, TupleSpace after, IEnumerable<ClassifierEntry> touched,
        RuleAction defaultAction, uint lastSerial, IReadOnlyList<(int Slot, uint Serial)> live)
    {
        var writes = new List<(FwKey, FwVerdict)>();
        var deletes = new List<FwKey>();
        foreach (var entry in touched)
        {
            var (old, now) = (before.BestOf(entry), after.BestOf(entry));
            var (oldTuple, newTuple) = (before.TupleOf(entry.Mask), after.TupleOf(entry.Mask));
            if (now is { } best && (old != best || oldTuple != newTuple))
            {
                writes.Add((entry.Value.ToKernelKey(entry.Direction, newTuple!.Value), best.ToKernel()));
            }
            if (old is not null && (now is null || oldTuple != newTuple))
            {
                deletes.Add(entry.Value.ToKernelKey(entry.Direction, oldTuple!.Value));
            }
        }
        return new GenerationChange(writes, deletes, SetOf(after, defaultAction, lastSerial), live);
    }

    /// <summary>Everything a generation holds for <paramref name="image"/> in force with <paramref name="rules"/>.</summary>
    public static GenerationChange Full(TupleSpace image, RuleAction defaultAction, uint lastSerial, IEnumerable<InstalledRule> rules) => new(
        image.Keys().Select(k => (k.Entry.Value.ToKernelKey(k.Entry.Direction, image.TupleOf(k.Entry.Mask)!.Value), k.Best.ToKernel())).ToList(),
        [],
        SetOf(image, defaultAction, lastSerial),
        rules.Select(r => (r.Slot, r.Serial)).ToList());

    /// <summary>The tuples in search order, the default action and the last serial, as fw_sets holds them.</summary>
    public static FwSet SetOf(TupleSpace image, RuleAction defaultAction, uint lastSerial)
    {
        var set = new FwSet { DefaultAction = (uint)defaultAction, LastSerial = lastSerial };
        var masks = FwSet.MaskSpan(ref set);
        var tuples = image.SearchOrder();
        for (var i = 0; i < tuples.Count; i++)
        {
            masks[i] = tuples[i].Mask.ToKernelMask(tuples[i].Id, tuples[i].MaxRank);
        }
        set.Count = (uint)tuples.Count;
        return set;
    }
}
