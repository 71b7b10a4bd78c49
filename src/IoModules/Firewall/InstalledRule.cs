namespace IoVisor.IoModules.Firewall;

/// <summary>A rule in force: where it lives in the kernel (its slot: fw_rules, fw_hits) and the
/// serial that tells this version of the rule from others that had the slot.</summary>
public sealed record InstalledRule(FirewallRule Rule, int Slot, uint Serial)
{
    public Contender Contender => new(Rule.Rank, Slot, Serial, Rule.Action);
}
