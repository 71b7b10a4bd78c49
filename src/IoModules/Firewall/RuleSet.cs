using System.Collections.Immutable;

namespace IoVisor.IoModules.Firewall;

/// <summary>The rule set in force: the rules by key, compiled, and the default action.</summary>
internal sealed class RuleSet(ImmutableSortedDictionary<string, InstalledRule> rules, TupleSpace image, RuleAction defaultAction)
{
    private Dictionary<int, InstalledRule>? _bySlot;

    public static RuleSet Empty { get; } = new(
        ImmutableSortedDictionary.Create<string, InstalledRule>(StringComparer.Ordinal), TupleSpace.Empty, RuleAction.Allow);

    public ImmutableSortedDictionary<string, InstalledRule> Rules { get; } = rules;

    public TupleSpace Image { get; } = image;

    public RuleAction DefaultAction { get; } = defaultAction;

    /// <summary>The rule in <paramref name="slot"/> if its serial is <paramref name="serial"/>.</summary>
    public InstalledRule? At(int slot, uint serial) =>
        (_bySlot ??= Rules.Values.ToDictionary(r => r.Slot)).TryGetValue(slot, out var rule) && rule.Serial == serial ? rule : null;
}
