using System.Collections.Immutable;

namespace IoVisor.IoModules.Firewall;

/// <summary>
/// Puts rule sets in force. Every change, one rule or all of them, is computed against the set in
/// force first and refused whole when it does not fit the kernel; then new rules get slots, the
/// classifier generations switch (<see cref="ClassifierGenerations"/>), and the slots of rules that
/// left are emptied. A rule equal to one in force keeps its slot and its counters. The kernel's
/// copy of the rules is what a restarted daemon starts from.
/// </summary>
internal sealed class RuleSetInstaller(ClassifierGenerations generations, RuleSlots slots)
{
    private readonly SortedSet<int> _free = new(Enumerable.Range(0, slots.Count));
    private volatile RuleSet _set = RuleSet.Empty;
    private uint _lastSerial;

    /// <summary>The set in force; changes replace it whole, so a reader always sees one set.</summary>
    public RuleSet Current => _set;

    /// <summary>Half the slots: a whole set can be replaced by another while it is in force.</summary>
    public int MaxRules => slots.Count / 2;

    /// <summary>A serial no rule has had: generated keys start from it.</summary>
    public uint NextSerial => _lastSerial + 1;

    public FwHits HitsOf(int slot) => slots.HitsOf(slot);

    /// <summary>Takes over the set the kernel has in force (none for a new module) and makes both
    /// generations hold it, whatever a change interrupted by a crash left behind.</summary>
    public void Load()
    {
        var active = generations.Active;
        var live = generations.LiveSlots(active);
        var stored = slots.Occupied().ToList();
        _lastSerial = stored.Select(s => s.Serial).Append(generations.SetOf(0).LastSerial).Append(generations.SetOf(1).LastSerial).Max();
        var inForce = stored.Where(s => live.TryGetValue(s.Slot, out var serial) && serial == s.Serial)
            .Select(s => new InstalledRule(s.Rule, s.Slot, s.Serial))
            .ToList();
        var kernelSet = generations.SetOf(active);
        var tupleIds = new Dictionary<MatchFields, int>();
        var masks = FwSet.MaskSpan(ref kernelSet);
        for (var i = 0; i < kernelSet.Count && i < FirewallAbi.MaxTuples; i++)
        {
            tupleIds.TryAdd(MatchFields.FromKernel(masks[i]), (int)masks[i].Tuple);
        }
        var defaultAction = kernelSet.DefaultAction == (uint)RuleAction.Drop ? RuleAction.Drop : RuleAction.Allow;
        var image = TupleSpace.Empty.With(inForce, [], new HashSet<ClassifierEntry>(), tupleIds);
        generations.Reconcile(GenerationChange.Full(image, defaultAction, _lastSerial, inForce));
        var used = inForce.Select(r => r.Slot).ToHashSet();
        foreach (var leftover in stored.Where(s => !used.Contains(s.Slot)))
        {
            slots.Free(leftover.Slot);
        }
        _free.ExceptWith(used);
        _set = new RuleSet(inForce.ToImmutableSortedDictionary(r => r.Rule.Key, r => r, StringComparer.Ordinal), image, defaultAction);
    }

    /// <summary>Starts on maps that were just made (all zeros): there is nothing to take over, so both
    /// generations get the empty set without reading maps that hold nothing (tens of thousands of
    /// slots: most of what binding a firewall would cost).</summary>
    public void Start() => generations.Switch(GenerationChange.Full(_set.Image, _set.DefaultAction, _lastSerial, []));

    /// <summary>Puts <paramref name="target"/> (distinct keys) in force with <paramref name="defaultAction"/>.
    /// A set the kernel cannot hold is refused with a <see cref="ConfigException"/> naming
    /// <paramref name="field"/>, and nothing changes.</summary>
    public void Install(IReadOnlyCollection<FirewallRule> target, RuleAction defaultAction, string field)
    {
        var set = _set;
        if (target.Count > MaxRules)
        {
            throw new ConfigException(field, $"{target.Count} rules; at most {MaxRules} (config.maxRules)");
        }
        var serial = _lastSerial;
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<InstalledRule>();
        using var free = _free.GetEnumerator();
        foreach (var rule in target)
        {
            if (set.Rules.TryGetValue(rule.Key, out var current) && current.Rule == rule)
            {
                kept.Add(rule.Key);
            }
            else
            {
                free.MoveNext();
                added.Add(new InstalledRule(rule, free.Current, ++serial));
            }
        }
        var removed = set.Rules.Values.Where(r => !kept.Contains(r.Rule.Key)).ToList();
        if (added.Count == 0 && removed.Count == 0 && defaultAction == set.DefaultAction)
        {
            return;
        }
        var touched = new HashSet<ClassifierEntry>();
        var image = set.Image.With(added, removed, touched);
        if (image.TupleCount > FirewallAbi.MaxTuples)
        {
            throw new ConfigException(field, $"the rules need {image.TupleCount} tuples (distinct combinations of prefix lengths, " +
                $"port blocks, protocol, ICMP, TCP flag and state masks); at most {FirewallAbi.MaxTuples}");
        }
        if (image.KeyCount > generations.KeysPerGeneration)
        {
            throw new ConfigException(field, $"the rules need {image.KeyCount} classifier keys; at most {generations.KeysPerGeneration} " +
                $"({FirewallConfig.KeysPerRule} for each of config.maxRules, {FirewallAbi.GenerationKeys} at most)");
        }
        var live = added.Select(r => (r.Slot, r.Serial)).Concat(removed.Select(r => (r.Slot, 0u))).ToList();
        var change = GenerationChange.Between(set.Image, image, touched, defaultAction, serial, live);
        try
        {
            foreach (var rule in added)
            {
                slots.Write(rule);
            }
            generations.Switch(change);
            foreach (var rule in removed)
            {
                slots.Free(rule.Slot);
            }
        }
        catch
        {
            // Back to the set in force before: its rules' slots as they were, both generations holding it.
            foreach (var rule in removed)
            {
                slots.Write(rule);
            }
            generations.Reconcile(GenerationChange.Full(set.Image, set.DefaultAction, serial, set.Rules.Values));
            foreach (var rule in added)
            {
                slots.Free(rule.Slot);
            }
            throw;
        }
        _lastSerial = serial;
        _free.ExceptWith(added.Select(r => r.Slot));
        _free.UnionWith(removed.Select(r => r.Slot));
        var rules = set.Rules.RemoveRange(removed.Select(r => r.Rule.Key)).AddRange(added.Select(r => KeyValuePair.Create(r.Rule.Key, r)));
        _set = new RuleSet(rules, image, defaultAction);
    }
}
