using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Nat;

/// <summary>Reads a rule entry of the rules table, checking every field on its own and against the
/// rule's type; errors name the field. What depends on other rules or the ports is the table's.</summary>
public static class NatRuleReader
{
    private static readonly string[] Fields = ["key", "type", "logicalIp", "externalIp", "protocol", "externalPort", "logicalPort", "externalPortRange"];

    public static NatRule Read(JsonObject entry)
    {
        var reader = new ConfigReader(entry, new ConfigErrors());
        var errors = reader.Errors;
        reader.RejectUnknown(Fields);
        var typeName = reader.Text("type", null);
        if (typeName is null || !NatRuleTypeNames.All.Contains(typeName))
        {
            errors.Add("type", $"{(typeName is null ? "required" : "unknown")}: one of {string.Join(", ", NatRuleTypeNames.All)}");
            errors.ThrowIfAny();
        }
        var type = NatRuleTypeNames.Parse(typeName!);
        var matchesSources = type is NatRuleType.Snat or NatRuleType.Masquerade;

        var logical = matchesSources ? Prefix(reader, "logicalIp") : Host(reader, "logicalIp");
        (Ipv4Address First, Ipv4Address Last) external = default;
        if (type == NatRuleType.Masquerade)
        {
            Absent(reader, "externalIp", "masquerade translates to the outside port's address");
        }
        else if (type == NatRuleType.Snat)
        {
            external = AddressRange(reader, "externalIp");
        }
        else
        {
            var address = Address(reader, "externalIp");
            external = (address, address);
        }

        string? protocol = null;
        ushort externalPort = 0, logicalPort = 0;
        if (type == NatRuleType.Dnat)
        {
            (protocol, externalPort, logicalPort) = PortForward(reader);
        }
        else
        {
            const string OnlyDnat = "only a dnat rule forwards ports";
            Absent(reader, "protocol", OnlyDnat);
            Absent(reader, "externalPort", OnlyDnat);
            Absent(reader, "logicalPort", OnlyDnat);
        }

        PortRange? ports = null;
        if (matchesSources)
        {
            ports = PortRange.Default;
            if (reader.Text("externalPortRange", null) is { } text)
            {
                if (PortRange.TryParse(text, out var parsed, out var error))
                {
                    ports = parsed;
                }
                else
                {
                    errors.Add("externalPortRange", error!);
                }
            }
        }
        else
        {
            Absent(reader, "externalPortRange", "only snat and masquerade choose external ports");
        }
        errors.ThrowIfAny();
        return new NatRule(type, logical, external.First, external.Last, protocol, externalPort, logicalPort, ports);
    }

    private static (string?, ushort, ushort) PortForward(ConfigReader reader)
    {
        var protocol = reader.Has("protocol") ? reader.OneOf("protocol", "tcp", "tcp", "udp") : null;
        var externalPort = (ushort)reader.Integer("externalPort", 0, 1, 65535);
        var logicalPort = (ushort)reader.Integer("logicalPort", 0, 1, 65535);
        if (protocol is null && (reader.Has("externalPort") || reader.Has("logicalPort")))
        {
            reader.Errors.Add("protocol", "required with ports: tcp or udp");
        }
        else if (protocol is not null && !reader.Has("externalPort"))
        {
            reader.Errors.Add("externalPort", "required with a protocol");
        }
        // A forward to the same port says so explicitly, so that the rule reads back as written.
        return (protocol, externalPort, logicalPort == 0 ? externalPort : logicalPort);
    }

    private static void Absent(ConfigReader reader, string field, string why)
    {
        if (reader.Has(field))
        {
            reader.Errors.Add(field, $"not allowed: {why}");
        }
    }

    private static Ipv4Prefix Prefix(ConfigReader reader, string field)
    {
        var text = Required(reader, field);
        if (text is null)
        {
            return default;
        }
        if (!text.Contains('/', StringComparison.Ordinal))
        {
            return new Ipv4Prefix(Unicast(reader, field, text), 32);
        }
        if (!Ipv4Prefix.TryParse(text, out var prefix, out var error))
        {
            reader.Errors.Add(field, error!);
        }
        return prefix;
    }

    private static Ipv4Prefix Host(ConfigReader reader, string field)
    {
        var text = Required(reader, field);
        return text is null ? default : new Ipv4Prefix(Unicast(reader, field, text), 32);
    }

    private static Ipv4Address Address(ConfigReader reader, string field)
    {
        var text = Required(reader, field);
        return text is null ? default : Unicast(reader, field, text);
    }

    /// <summary>"a.b.c.d" or "a.b.c.d-e.f.g.h".</summary>
    private static (Ipv4Address, Ipv4Address) AddressRange(ConfigReader reader, string field)
    {
        var text = Required(reader, field);
        if (text is null)
        {
            return default;
        }
        var parts = text.Split('-');
        if (parts.Length > 2)
        {
            reader.Errors.Add(field, "must be an IPv4 address or a range like 192.0.2.10-192.0.2.20");
            return default;
        }
        var first = Unicast(reader, field, parts[0]);
        var last = parts.Length == 2 ? Unicast(reader, field, parts[1]) : first;
        if (reader.Errors.Items.Any(e => e.Field == field))
        {
            return default;
        }
        if (first.Value > last.Value)
        {
            reader.Errors.Add(field, $"is reversed: {first} is above {last}");
        }
        else if (last.Value - first.Value >= NatRule.MaxExternalAddresses)
        {
            reader.Errors.Add(field, $"at most {NatRule.MaxExternalAddresses} addresses per rule");
        }
        return (first, last);
    }

    private static string? Required(ConfigReader reader, string field)
    {
        var text = reader.Text(field, null);
        if (text is null && !reader.Errors.Items.Any(e => e.Field == field))
        {
            reader.Errors.Add(field, "required");
        }
        return text;
    }

    private static Ipv4Address Unicast(ConfigReader reader, string field, string text)
    {
        if (!Ipv4Address.TryParse(text, out var a) || a.IsZero || a.IsMulticastOrBroadcast || a.IsLoopback)
        {
            reader.Errors.Add(field, "must be a unicast IPv4 address like 192.0.2.10");
        }
        return a;
    }
}
