using System.Security.Cryptography;
using System.Text;

namespace IoVisor.OvnBridge.Translation;

/// <summary>
/// Module and port names derived from OVN names: stable across restarts and recomputes, and within
/// Hover's rules (1-63 characters of letters, digits, '_', '-', '.', starting with a letter or
/// digit). A name that does not fit as it is keeps a readable prefix, with characters outside the
/// rules made '_', and ends in '-' and 8 hex digits of the SHA-256 of the OVN name.
/// </summary>
public static class GraphNames
{
    public const int MaxLength = 63;
    public const int MaxNetdevLength = 15;

    public const string SwitchPrefix = "ls";
    public const string RouterPrefix = "lr";
    public const string FirewallPrefix = "fw";
    public const string SwitchLoadBalancerPrefix = "lbs";
    public const string RouterLoadBalancerPrefix = "lbr";
    public const string NatPrefix = "nat";

    public static string Module(string prefix, string ovnName) => Fit($"{prefix}-{ovnName}", ovnName);

    /// <summary>A port name: the OVN name itself when it fits.</summary>
    public static string Port(string ovnName) =>
        ovnName.Length > 0 && char.IsAsciiLetterOrDigit(ovnName[0]) ? Fit(ovnName, ovnName) : Fit("p-" + ovnName, ovnName);

    /// <summary>Whether a netdev name can be linked (Linux interface names: up to 15 characters).</summary>
    public static bool IsNetdev(string name) =>
        name.Length is > 0 and <= MaxNetdevLength && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => IsAllowed(c) || c == '@');

    /// <summary>The 8 hex digits that tell apart names made from different OVN names or rows.</summary>
    public static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];

    private static string Fit(string candidate, string ovnName)
    {
        if (candidate.Length <= MaxLength && candidate.All(IsAllowed))
        {
            return candidate;
        }
        var suffix = "-" + Hash(ovnName);
        var readable = new string([.. candidate.Take(MaxLength - suffix.Length).Select(c => IsAllowed(c) ? c : '_')]);
        return readable + suffix;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';
}
