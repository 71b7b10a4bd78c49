namespace IoVisor.OvnBridge.Matching;

/// <summary>Resolves <c>$name</c> in matches: an Address_Set, or <c>$pg_ip4</c>, the IPv4 addresses
/// of a Port_Group's ports. The same contents come back as the same instance, so a compiled ACL
/// can tell whether the sets it used changed.</summary>
public interface IAddressSets
{
    /// <summary>The set's IPv4 networks, or null when no such set exists. IPv6 members are left
    /// out (<paramref name="hasIpv6"/>).</summary>
    PrefixSet? Resolve(string name, out bool hasIpv6);
}
