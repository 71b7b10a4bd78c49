using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Nat;

/// <summary>
/// One NAT rule. <see cref="Logical"/> is the inside side: a prefix for snat and masquerade, a host
/// (/32) for dnat and dnat_and_snat. The external side is one address (or, for snat, the range
/// <see cref="ExternalFirst"/>..<see cref="ExternalLast"/>; masquerade has none: it takes the
/// outside port's). A port forward (dnat with <see cref="Protocol"/>) maps <see cref="ExternalPort"/>
/// to <see cref="LogicalPort"/>; snat and masquerade give flows ports from <see cref="Ports"/>.
/// </summary>
public sealed record NatRule(
    NatRuleType Type,
    Ipv4Prefix Logical,
    Ipv4Address ExternalFirst,
    Ipv4Address ExternalLast,
    string? Protocol = null,
    ushort ExternalPort = 0,
    ushort LogicalPort = 0,
    PortRange? Ports = null)
{
    /// <summary>Largest external address range of one snat rule (each address is answered for in ARP).</summary>
    public const int MaxExternalAddresses = 256;

    public bool IsPortForward => Protocol is not null;

    /// <summary>What identifies the rule in the table: the inside prefix for the rules that match
    /// inside sources, the external address (and port) for those that match outside destinations.</summary>
    public string Key => Type switch
    {
        NatRuleType.Snat or NatRuleType.Masquerade => $"{Type.Name()} {Logical}",
        NatRuleType.Dnat when IsPortForward => string.Create(CultureInfo.InvariantCulture, $"dnat {Protocol} {ExternalFirst}:{ExternalPort}"),
        _ => $"{Type.Name()} {ExternalFirst}",
    };

    /// <summary>The number connections carry to name the rule that opened them: a hash of the key, so
    /// that it is the same after a restart or a re-creation of the rule.</summary>
    public uint Id => IdOf(Key);

    public static uint IdOf(string key)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = (hash ^ b) * 16777619u;
        }
        return hash == 0 ? 1 : hash;
    }

    /// <summary>The addresses the NAT owns on the outside (it answers ARP for them); masquerade's is
    /// the outside port's, which the router answers for.</summary>
    public IEnumerable<Ipv4Address> ExternalAddresses => Type == NatRuleType.Masquerade
        ? []
        : Enumerable.Range(0, (int)(ExternalLast.Value - ExternalFirst.Value + 1)).Select(i => new Ipv4Address(ExternalFirst.Value + (uint)i));

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["key"] = Key,
            ["type"] = Type.Name(),
            ["logicalIp"] = Type is NatRuleType.Snat or NatRuleType.Masquerade ? Logical.ToString() : Logical.Network.ToString(),
        };
        if (Type != NatRuleType.Masquerade)
        {
            json["externalIp"] = ExternalFirst == ExternalLast ? ExternalFirst.ToString() : $"{ExternalFirst}-{ExternalLast}";
        }
        if (IsPortForward)
        {
            json["protocol"] = Protocol;
            json["externalPort"] = (long)ExternalPort;
            json["logicalPort"] = (long)LogicalPort;
        }
        if (Ports is { } ports)
        {
            json["externalPortRange"] = ports.ToString();
        }
        return json;
    }
}
