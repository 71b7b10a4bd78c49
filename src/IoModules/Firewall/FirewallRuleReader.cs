using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.Firewall;

/// <summary>Reads and validates a rule as users write it; every problem is named by its field.</summary>
public static partial class FirewallRuleReader
{
    private static readonly string[] Fields =
        ["key", "name", "priority", "direction", "action", "src", "dst", "protocol", "sport", "dport", "icmpType", "icmpCode", "tcpFlags", "ctState", "hits"];

    /// <summary>The rule in <paramref name="entry"/>, keyed by its "key" or else <paramref name="key"/>;
    /// null with the problems in <paramref name="errors"/>. "hits" is accepted and ignored: it is what
    /// a listed rule shows.</summary>
    public static FirewallRule? Read(JsonObject entry, string key, ConfigErrors errors)
    {
        var reader = new ConfigReader(entry, errors);
        reader.RejectUnknown(Fields);
        var ruleKey = reader.Text("key", key) ?? key;
        if (!KeyPattern().IsMatch(ruleKey))
        {
            errors.Add("key", "must be 1 to 63 letters, digits and . _ : @ -");
        }
        var name = reader.Text("name", null);
        if (name is not null && (Encoding.UTF8.GetByteCount(name) >= FirewallAbi.TextLength || name.Contains('\0', StringComparison.Ordinal)))
        {
            errors.Add("name", $"must be at most {FirewallAbi.TextLength - 1} bytes of UTF-8 without NUL");
        }
        var priority = Required(reader, "priority", "an integer from 0 to 32767", () => reader.Integer("priority", 0, 0, FirewallRule.MaxPriority));
        var direction = Required(reader, "direction", "ingress or egress", () => reader.OneOf("direction", "ingress", RuleTerms.Directions));
        var action = Required(reader, "action", string.Join(", ", RuleTerms.Actions), () => reader.OneOf("action", "allow", RuleTerms.Actions));
        var src = Prefix(reader, "src");
        var dst = Prefix(reader, "dst");
        var proto = Protocol(entry["protocol"], errors);
        var sport = Ports(entry, "sport", proto, errors);
        var dport = Ports(entry, "dport", proto, errors);
        var icmpType = Icmp(reader, "icmpType", proto);
        var icmpCode = Icmp(reader, "icmpCode", proto);
        TcpFlagMatch? flags = null;
        if (entry["tcpFlags"] is { } flagNode)
        {
            flags = TcpFlagMatch.Parse(flagNode, errors);
            if (proto != CtAbi.ProtoTcp)
            {
                errors.Add("tcpFlags", "TCP flags need \"protocol\": \"tcp\"");
            }
        }
        var states = States(reader, entry["ctState"]);
        if (errors.Any)
        {
            return null;
        }
        var rule = new FirewallRule(ruleKey, name, (int)priority, RuleTerms.ParseDirection(direction), RuleTerms.ParseAction(action),
            src, dst, proto, sport, dport, icmpType, icmpCode, flags, states);
        if (RuleExpansion.CountOf(rule) is var count and > RuleExpansion.MaxEntriesPerRule)
        {
            errors.Add(dport is { } d && d.First != d.Last ? "dport" : sport is not null ? "sport" : "ctState",
                $"the port ranges and connection states make {count} classifier keys; at most {RuleExpansion.MaxEntriesPerRule} per rule: split the rule");
            return null;
        }
        return rule;
    }

    private static T Required<T>(ConfigReader reader, string field, string expected, Func<T> read)
    {
        if (!reader.Has(field))
        {
            reader.Errors.Add(field, $"required: {expected}");
        }
        return read();
    }

    /// <summary>A prefix without host bits, or one address (a /32).</summary>
    private static Ipv4Prefix? Prefix(ConfigReader reader, string field)
    {
        if (reader.Text(field, null) is not { } text)
        {
            return null;
        }
        if (!text.Contains('/', StringComparison.Ordinal))
        {
            if (Ipv4Address.TryParse(text, out var address))
            {
                return new Ipv4Prefix(address, 32);
            }
            reader.Errors.Add(field, "must be an IPv4 prefix like 10.0.0.0/24 or an address");
            return null;
        }
        if (Ipv4Prefix.TryParse(text, out var prefix, out var error))
        {
            return prefix;
        }
        reader.Errors.Add(field, error!);
        return null;
    }

    private static byte? Protocol(JsonNode? node, ConfigErrors errors)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                switch (v.GetValue<string>())
                {
                    case "tcp": return CtAbi.ProtoTcp;
                    case "udp": return CtAbi.ProtoUdp;
                    case "icmp": return CtAbi.ProtoIcmp;
                }
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number
                && byte.TryParse(v.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0:
                return number;
        }
        errors.Add("protocol", "must be tcp, udp, icmp or an IP protocol number from 1 to 255");
        return null;
    }

    private static PortRange? Ports(JsonObject entry, string field, byte? proto, ConfigErrors errors)
    {
        if (entry[field] is not { } node)
        {
            return null;
        }
        if (!PortRange.TryParse(node, out var range))
        {
            errors.Add(field, PortRange.Expected);
            return null;
        }
        if (proto is not (CtAbi.ProtoTcp or CtAbi.ProtoUdp))
        {
            errors.Add(field, "ports need \"protocol\": \"tcp\" or \"udp\"");
        }
        return range;
    }

    private static byte? Icmp(ConfigReader reader, string field, byte? proto)
    {
        if (!reader.Has(field))
        {
            return null;
        }
        var value = (byte)reader.Integer(field, 0, 0, 255);
        if (proto != CtAbi.ProtoIcmp)
        {
            reader.Errors.Add(field, "the ICMP type and code need \"protocol\": \"icmp\"");
        }
        return value;
    }

    private static ConnectionStates States(ConfigReader reader, JsonNode? node)
    {
        if (node is null)
        {
            return ConnectionStates.None;
        }
        if (node is JsonArray { Count: 0 })
        {
            reader.Errors.Add("ctState", "must name at least one state; leave it out to match any");
            return ConnectionStates.None;
        }
        var names = reader.Texts("ctState");
        var states = ConnectionStates.None;
        for (var i = 0; i < names.Count; i++)
        {
            if (!RuleTerms.States.Contains(names[i], StringComparer.Ordinal))
            {
                reader.Errors.Add($"ctState[{i}]", $"must be one of: {string.Join(", ", RuleTerms.States)}");
                continue;
            }
            var state = RuleTerms.ParseState(names[i]);
            if ((states & state) != 0)
            {
                reader.Errors.Add($"ctState[{i}]", $"\"{names[i]}\" is given twice");
            }
            states |= state;
        }
        return states;
    }

    [GeneratedRegex("^[A-Za-z0-9._:@-]{1,63}$")]
    private static partial Regex KeyPattern();
}
