using System.Globalization;

namespace IoVisor.IoModules.Nat;

/// <summary>The external ports (ICMP: echo identifiers) a snat rule gives flows, "first-last".</summary>
public readonly record struct PortRange(ushort First, ushort Last)
{
    /// <summary>Above the well-known ports, like Linux's masquerade for unprivileged source ports.</summary>
    public static PortRange Default { get; } = new(1024, 65535);

    /// <summary>Parses "first-last"; the error says what is wrong.</summary>
    public static bool TryParse(string text, out PortRange range, out string? error)
    {
        range = default;
        error = null;
        var parts = text.Split('-');
        if (parts.Length != 2
            || !ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || first == 0)
        {
            error = "must be a port range like 1024-65535 (ports 1 to 65535)";
            return false;
        }
        if (first > last)
        {
            error = $"is reversed: {first} is above {last}";
            return false;
        }
        range = new PortRange(first, last);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}
