using System.Globalization;
using System.Text.RegularExpressions;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>The summary line of iputils ping: "N packets transmitted, M received, ..., P% packet loss".</summary>
public sealed partial record PingStatistics(int Transmitted, int Received)
{
    public double LossPercent => Transmitted == 0 ? 100 : 100.0 * (Transmitted - Received) / Transmitted;

    public static PingStatistics Parse(string output)
    {
        var match = SummaryLine().Match(output);
        if (!match.Success)
        {
            throw new FormatException($"no ping summary in:\n{output}");
        }
        return new PingStatistics(
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) (?:packets )?received")]
    private static partial Regex SummaryLine();
}
