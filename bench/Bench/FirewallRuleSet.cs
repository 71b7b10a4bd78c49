using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IoVisor.Bench;

/// <summary>
/// A rule set of a given size, written both as IoVisor firewall rules and as nftables rules in
/// the same order. Every rule but the last drops something the benchmark flow (UDP 10.77.0.x →
/// 10.78.0.2:5001) is not, in four shapes that cycle (source /32 + UDP port, destination /32 + TCP
/// port, source /24 + destination /24, UDP source port), with priorities falling from the first
/// rule to the last; the last rule, at priority 0, allows the flow. So nftables evaluates every
/// rule for each of its packets, and the firewall's classifier finds no match in any tuple of
/// higher rank before the allowing one.
/// </summary>
internal sealed class FirewallRuleSet(int count)
{
    /// <summary>Distinct match shapes (the firewall's tuples): the four drop shapes and the allow rule's.</summary>
    public const int Shapes = 5;

    public int Count => count;

    /// <summary>The rules for PUT /modules/{fw}/tables/rules/entries, all for traffic from the outside port in.</summary>
    public JsonArray ToJson()
    {
        var rules = new JsonArray();
        for (int i = 0; i < count - 1; i++)
        {
            var rule = new JsonObject { ["key"] = $"r{i}", ["priority"] = count - 1 - i, ["direction"] = "ingress", ["action"] = "drop" };
            switch (i % 4)
            {
                case 0:
                    rule["src"] = Host(100, i / 4);
                    rule["protocol"] = "udp";
                    rule["dport"] = 5001;
                    break;
                case 1:
                    rule["dst"] = Host(101, i / 4);
                    rule["protocol"] = "tcp";
                    rule["dport"] = 80;
                    break;
                case 2:
                    rule["src"] = $"{Net24(i / 4)}/24";
                    rule["dst"] = "10.78.0.0/24";
                    break;
                default:
                    rule["protocol"] = "udp";
                    rule["sport"] = SourcePort(i);
                    break;
            }
            rules.Add(rule);
        }
        rules.Add(new JsonObject
        {
            ["key"] = "allow-bench", ["priority"] = 0, ["direction"] = "ingress", ["action"] = "allow",
            ["src"] = "10.77.0.0/24", ["dst"] = "10.78.0.2", ["protocol"] = "udp", ["dport"] = 5001,
        });
        return rules;
    }

    /// <summary>The same rules as nftables statements, one a line, first to be evaluated first.</summary>
    public string ToNft()
    {
        var nft = new StringBuilder();
        for (int i = 0; i < count - 1; i++)
        {
            string match = (i % 4) switch
            {
                0 => $"ip saddr {Host(100, i / 4)} udp dport 5001",
                1 => $"ip daddr {Host(101, i / 4)} tcp dport 80",
                2 => $"ip saddr {Net24(i / 4)}/24 ip daddr 10.78.0.0/24",
                _ => $"udp sport {SourcePort(i)}",
            };
            nft.Append(CultureInfo.InvariantCulture, $"    {match} drop\n");
        }
        nft.Append("    ip saddr 10.77.0.0/24 ip daddr 10.78.0.2 udp dport 5001 accept\n");
        return nft.ToString();
    }

    /// <summary>The <paramref name="n"/>th address of 10.<paramref name="second"/>.0.0/16.</summary>
    private static string Host(int second, int n) => string.Create(CultureInfo.InvariantCulture, $"10.{second}.{n / 256}.{n % 256}");

    /// <summary>The <paramref name="n"/>th /24 from 10.110.0.0 on.</summary>
    private static string Net24(int n) => string.Create(CultureInfo.InvariantCulture, $"10.{110 + (n / 256)}.{n % 256}.0");

    /// <summary>Never the benchmark flow's 5000.</summary>
    private static int SourcePort(int i) => 10_000 + i;
}
