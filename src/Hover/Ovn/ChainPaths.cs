using System.Globalization;
using System.Text.RegularExpressions;
using IoVisor.OvnBridge.Service;

namespace IoVisor.Hover.Ovn;

/// <summary>Reads which object of a chain spec a refusal names: "modules[3].config.x" is module 3,
/// "modules[3].ports[1].name" its port 1, "links[2].to" link 2, "entries[7].entry.mac" entry 7.</summary>
internal static partial class ChainPaths
{
    public static GraphRejection Rejection(string field, string message)
    {
        var m = PathPattern().Match(field);
        if (!m.Success)
        {
            // Nothing in the spec to take out: a refusal of the chain as a whole is a failure.
            throw new InvalidOperationException($"Hover refused the OVN chain ({field}): {message}");
        }
        var index = int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture);
        return m.Groups["list"].Value switch
        {
            "modules" when m.Groups["port"].Success =>
                new GraphRejection(GraphItemKind.Port, index, int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture), message),
            "modules" => new GraphRejection(GraphItemKind.Module, index, 0, message),
            "links" => new GraphRejection(GraphItemKind.Link, index, 0, message),
            _ => new GraphRejection(GraphItemKind.Entry, index, 0, message),
        };
    }

    [GeneratedRegex(@"^(?<list>modules|links|entries)\[(?<index>\d+)\](\.ports\[(?<port>\d+)\])?")]
    private static partial Regex PathPattern();
}
