namespace IoVisor.OvnBridge.Matching;

/// <summary>OVN ACL actions, and the firewall action each becomes.</summary>
public static class AclActions
{
    public const string Allow = "allow";
    public const string AllowRelated = "allow-related";
    public const string AllowStateless = "allow-stateless";

    /// <summary>Accepts what the firewall can do; pass (ACL tiers) has no equivalent.</summary>
    public static bool TryMap(string action, out string mapped)
    {
        mapped = action is Allow or AllowRelated or AllowStateless or "drop" or "reject" ? action : "";
        return mapped.Length > 0;
    }

    /// <summary>The firewall's action. As in OVN, a plain allow on a switch with stateful ACLs
    /// (allow-related) is tracked too, so that its replies pass; allow-stateless never is.</summary>
    public static string ToFirewall(string action, bool statefulSwitch) => action switch
    {
        Allow => statefulSwitch ? AllowRelated : Allow,
        AllowStateless => Allow,
        _ => action,
    };
}
