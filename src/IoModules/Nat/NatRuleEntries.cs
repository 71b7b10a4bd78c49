using System.Buffers.Binary;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.Nat;

/// <summary>How a rule sits in the kernel's rule maps, and how it reads back from them: snat and
/// masquerade are one nat_snat entry, a dnat one nat_dnat entry, a dnat_and_snat one of each (read
/// back from its nat_dnat half, which holds both addresses).</summary>
internal static class NatRuleEntries
{
    public static (NatSnatKey Key, NatSnatRule Value)? SnatOf(NatRule rule)
    {
        if (rule.Type == NatRuleType.Dnat)
        {
            return null;
        }
        var key = new NatSnatKey { Prefixlen = (uint)rule.Logical.Length, Addr = rule.Logical.Network.ToKernel() };
        var ports = rule.Ports ?? default;
        return (key, new NatSnatRule
        {
            ExtFirst = rule.ExternalFirst.ToKernel(),
            ExtLast = rule.ExternalLast.ToKernel(),
            PortFirst = ports.First,
            PortLast = ports.Last,
            RuleId = rule.Id,
            Type = (uint)rule.Type,
        });
    }

    public static (NatDnatKey Key, NatDnatRule Value)? DnatOf(NatRule rule)
    {
        if (rule.Type is not (NatRuleType.Dnat or NatRuleType.DnatAndSnat))
        {
            return null;
        }
        var key = new NatDnatKey
        {
            Addr = rule.ExternalFirst.ToKernel(),
            Port = Network(rule.ExternalPort),
            Proto = ProtoOf(rule.Protocol),
        };
        return (key, new NatDnatRule
        {
            Addr = rule.Logical.Network.ToKernel(),
            Port = Network(rule.LogicalPort),
            RuleId = rule.Id,
            Type = (uint)rule.Type,
        });
    }

    /// <summary>The rule of a nat_snat entry; null for the outbound half of a dnat_and_snat.</summary>
    public static NatRule? FromSnat(NatSnatKey key, NatSnatRule value) => (NatRuleType)value.Type switch
    {
        NatRuleType.Snat or NatRuleType.Masquerade => new NatRule(
            (NatRuleType)value.Type,
            new Ipv4Prefix(Ipv4Address.FromKernel(key.Addr), (int)key.Prefixlen),
            Ipv4Address.FromKernel(value.ExtFirst),
            Ipv4Address.FromKernel(value.ExtLast),
            Ports: new PortRange(value.PortFirst, value.PortLast)),
        _ => null,
    };

    public static NatRule FromDnat(NatDnatKey key, NatDnatRule value)
    {
        var external = Ipv4Address.FromKernel(key.Addr);
        var logical = new Ipv4Prefix(Ipv4Address.FromKernel(value.Addr), 32);
        return key.Proto == 0
            ? new NatRule((NatRuleType)value.Type, logical, external, external)
            : new NatRule(NatRuleType.Dnat, logical, external, external, key.Proto == CtAbi.ProtoTcp ? "tcp" : "udp", Host(key.Port), Host(value.Port));
    }

    private static byte ProtoOf(string? protocol) => protocol switch
    {
        "tcp" => CtAbi.ProtoTcp,
        "udp" => CtAbi.ProtoUdp,
        _ => 0,
    };

    private static ushort Network(ushort port) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(port) : port;

    private static ushort Host(ushort port) => Network(port);
}
