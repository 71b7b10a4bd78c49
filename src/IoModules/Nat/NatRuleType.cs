namespace IoVisor.IoModules.Nat;

/// <summary>The kinds of NAT rule, as OVN names them.</summary>
public enum NatRuleType
{
    /// <summary>Inside sources in a prefix leave with an external address (or one of a range).</summary>
    Snat = 1,

    /// <summary>snat to the address of the outside port.</summary>
    Masquerade = 2,

    /// <summary>An external address (and port) is forwarded to an inside address (and port).</summary>
    Dnat = 3,

    /// <summary>One inside address is one external address, both ways; ports unchanged.</summary>
    DnatAndSnat = 4,
}

public static class NatRuleTypeNames
{
    public static readonly string[] All = ["snat", "masquerade", "dnat", "dnat_and_snat"];

    public static string Name(this NatRuleType type) => All[(int)type - 1];

    public static NatRuleType Parse(string name) => (NatRuleType)(Array.IndexOf(All, name) + 1);
}
