namespace IoVisor.IoModules.Firewall;

/// <summary>Which way a packet crosses the firewall, as OVN names ACL directions: ingress goes from
/// the outside port to the inside one (to-lport), egress from the inside port out (from-lport).
/// Values as enum fw_dir.</summary>
public enum RuleDirection : byte
{
    Ingress = 1,
    Egress = 2,
}

/// <summary>What a rule does with the packets it matches; values as enum fw_action.</summary>
public enum RuleAction : byte
{
    Allow = 1,
    AllowRelated = 2,
    Drop = 3,
    Reject = 4,
}

/// <summary>Connection states, one bit each as FW_CT_*: a packet is in one, a rule matches a set.</summary>
[Flags]
public enum ConnectionStates : byte
{
    None = 0,
    New = 1,
    Established = 2,
    Related = 4,
    Invalid = 8,
    All = New | Established | Related | Invalid,
}

/// <summary>The words users write for directions, actions and states.</summary>
public static class RuleTerms
{
    public static readonly string[] Directions = ["ingress", "egress"];
    public static readonly string[] Actions = ["allow", "allow-related", "drop", "reject"];
    public static readonly string[] States = ["new", "established", "related", "invalid"];

    public static string Name(this RuleDirection direction) => direction == RuleDirection.Ingress ? "ingress" : "egress";

    public static string Name(this RuleAction action) => Actions[(int)action - 1];

    public static RuleDirection ParseDirection(string name) => name == "ingress" ? RuleDirection.Ingress : RuleDirection.Egress;

    public static RuleAction ParseAction(string name) => (RuleAction)(Array.IndexOf(Actions, name) + 1);

    public static ConnectionStates ParseState(string name) => (ConnectionStates)(1 << Array.IndexOf(States, name));

    public static IEnumerable<string> Names(this ConnectionStates states) =>
        States.Where((_, i) => ((int)states & (1 << i)) != 0);

    /// <summary>Among rules of equal priority deny wins, the quiet one first: drop, reject, allow,
    /// allow-related.</summary>
    public static uint Precedence(this RuleAction action) => action switch
    {
        RuleAction.Drop => 3,
        RuleAction.Reject => 2,
        RuleAction.Allow => 1,
        _ => 0,
    };
}
