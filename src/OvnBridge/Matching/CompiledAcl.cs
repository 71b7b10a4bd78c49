using System.Collections.Immutable;

namespace IoVisor.OvnBridge.Matching;

/// <summary><c>inport</c>/<c>outport</c> in one conjunction: holds for the ports it names or the
/// members of the groups it names, or (negated) for all the others.</summary>
public sealed record PortCondition(bool Negated, ImmutableArray<string> Ports, ImmutableArray<string> Groups)
{
    public bool HoldsFor(string port, IReadOnlySet<string> groupsOfPort) =>
        (Ports.Contains(port) || Groups.Any(groupsOfPort.Contains)) != Negated;
}

/// <summary>A conjunction of an ACL's match, compiled: its conditions on the protected port, and
/// the rules it becomes when they hold.</summary>
public sealed record CompiledConjunction(ImmutableArray<PortCondition> Conditions, ImmutableArray<FirewallRule> Rules)
{
    public bool AppliesTo(string port, IReadOnlySet<string> groupsOfPort) =>
        Conditions.All(c => c.HoldsFor(port, groupsOfPort));
}

/// <summary>An ACL compiled for firewall modules, or why it cannot be. <see cref="Notes"/> says
/// what of a translated match is left out (the IPv6 part, for instance).</summary>
public sealed record CompiledAcl(ImmutableArray<CompiledConjunction> Conjunctions, ImmutableArray<string> Notes, string? Error)
{
    public static CompiledAcl Failed(string error) => new([], [], error);

    /// <summary>The rules for one protected port.</summary>
    public IEnumerable<FirewallRule> RulesFor(string port, IReadOnlySet<string> groupsOfPort) =>
        Conjunctions.Where(c => c.AppliesTo(port, groupsOfPort)).SelectMany(c => c.Rules);
}
