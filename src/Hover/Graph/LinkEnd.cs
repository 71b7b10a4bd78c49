using System.Text.RegularExpressions;

namespace IoVisor.Hover.Graph;

/// <summary>One end of a link: a module port ("br1:p1") or a netdev ("netdev:veth0").</summary>
public sealed partial record LinkEnd(string Module, string Port)
{
    public const string NetdevPrefix = "netdev";

    public bool IsNetdev => Module == NetdevPrefix;

    /// <summary>For a netdev endpoint, the interface name.</summary>
    public string Netdev => Port;

    public static bool TryParse(string? text, out LinkEnd endpoint)
    {
        endpoint = null!;
        var m = text is null ? null : EndpointPattern().Match(text);
        if (m is null || !m.Success)
        {
            return false;
        }
        endpoint = new LinkEnd(m.Groups[1].Value, m.Groups[2].Value);
        return endpoint.IsNetdev ? endpoint.Port.Length <= 15 : true;
    }

    public override string ToString() => $"{Module}:{Port}";

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9_.-]{0,62}):([A-Za-z0-9][A-Za-z0-9_.@-]{0,62})$")]
    private static partial Regex EndpointPattern();
}
