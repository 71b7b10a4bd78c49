using System.Text.RegularExpressions;

namespace IoVisor.Hover.Graph;

/// <summary>The names users give modules and ports: they are ids in URLs, pin paths and endpoints.</summary>
public static partial class Names
{
    public static bool IsValid(string? name) =>
        name is not null && name != LinkEnd.NetdevPrefix && NamePattern().IsMatch(name);

    /// <summary>No '.': bpffs refuses it in the names of the module's pin folder.</summary>
    public const string Rule = "1-63 characters: letters, digits, '_', '-', starting with a letter or digit; not 'netdev'";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex NamePattern();
}
