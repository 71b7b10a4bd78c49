using IoVisor.IoModules;
using IoVisor.OvnBridge.Matching;

namespace IoVisor.OvnBridge.Translation;

/// <summary>
/// Resolves <c>$name</c> for ACL matches: an Address_Set by name, or <c>$pg_ip4</c> / <c>$pg_ip6</c>,
/// the addresses of a Port_Group's ports (northd derives these; here they come from the ports'
/// addresses). A set whose contents did not change since the last translation comes back as the
/// same instance, which keeps the ACLs compiled from it cached.
/// </summary>
internal sealed class AddressSetResolver : IAddressSets
{
    private Dictionary<string, (PrefixSet Set, bool HasIpv6)> previous = new(StringComparer.Ordinal);
    private Dictionary<string, (PrefixSet Set, bool HasIpv6)?> current = new(StringComparer.Ordinal);
    private NbIndex? index;

    /// <summary>Starts a translation over <paramref name="nbIndex"/>.</summary>
    public void Begin(NbIndex nbIndex)
    {
        index = nbIndex;
        previous = current.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!.Value, StringComparer.Ordinal);
        current = new(StringComparer.Ordinal);
    }

    public PrefixSet? Resolve(string name, out bool hasIpv6)
    {
        if (!current.TryGetValue(name, out var resolved))
        {
            resolved = Compute(name);
            if (resolved is { } fresh && previous.TryGetValue(name, out var old) && old.HasIpv6 == fresh.HasIpv6
                && old.Set.Prefixes.SequenceEqual(fresh.Set.Prefixes))
            {
                resolved = old;
            }
            current[name] = resolved;
        }
        hasIpv6 = resolved?.HasIpv6 ?? false;
        return resolved?.Set;
    }

    private (PrefixSet, bool)? Compute(string name)
    {
        var nb = index ?? throw new InvalidOperationException("Begin was not called");
        if (nb.AddressSetsByName.TryGetValue(name, out var set))
        {
            var prefixes = new List<Ipv4Prefix>();
            var ipv6 = false;
            foreach (var text in set.Addresses)
            {
                if (Ipv4Prefix.TryParseInterface(text, out var address, out var length, out _))
                {
                    prefixes.Add(Ipv4Prefix.Of(address, length));
                }
                else if (Ipv4Address.TryParse(text, out var host))
                {
                    prefixes.Add(new Ipv4Prefix(host, 32));
                }
                else
                {
                    ipv6 |= text.Contains(':', StringComparison.Ordinal);
                }
            }
            return (PrefixSet.Of(prefixes), ipv6);
        }
        foreach (var (suffix, v4) in new[] { ("_ip4", true), ("_ip6", false) })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && nb.PortGroupsByName.TryGetValue(name[..^suffix.Length], out var group))
            {
                if (!v4)
                {
                    return (new PrefixSet([]), true);
                }
                var members = group.Ports.Select(p => nb.SwitchPorts.GetValueOrDefault(p)).OfType<Rows.LogicalSwitchPort>();
                return (PrefixSet.Of(members.SelectMany(p => PortAddresses.Of(p).Ipv4).Select(a => new Ipv4Prefix(a, 32))), false);
            }
        }
        return null;
    }
}
