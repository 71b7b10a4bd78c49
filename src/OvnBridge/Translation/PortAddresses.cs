using IoVisor.IoModules;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>One element of a logical switch port's <c>addresses</c>: "MAC [IP...]" (IPv6 addresses are not used).</summary>
public sealed record MacBinding(MacAddress Mac, IReadOnlyList<Ipv4Address> Ipv4);

/// <summary>
/// A logical switch port's addresses column read: static "MAC IP..." elements (the dynamic
/// addresses northd assigned stand in for "dynamic"), and the keywords "router" (the peer router
/// port's MAC and networks) and "unknown" (frames to unknown MACs go to this port: the bridge
/// floods those anyway, and learns).
/// </summary>
public sealed record PortAddresses(IReadOnlyList<MacBinding> Bindings, bool Router, bool Unknown, IReadOnlyList<string> Invalid)
{
    public static PortAddresses Of(LogicalSwitchPort port)
    {
        var bindings = new List<MacBinding>();
        var invalid = new List<string>();
        var router = false;
        var unknown = false;
        foreach (var element in port.Addresses)
        {
            switch (element.Trim())
            {
                case "router":
                    router = true;
                    continue;
                case "unknown":
                    unknown = true;
                    continue;
                case "dynamic":
                    Add(port.DynamicAddresses, bindings, invalid);
                    continue;
            }
            var text = element.Contains("dynamic", StringComparison.Ordinal) ? port.DynamicAddresses : element;
            Add(text, bindings, invalid, element);
        }
        return new PortAddresses(bindings, router, unknown, invalid);
    }

    public IEnumerable<Ipv4Address> Ipv4 => Bindings.SelectMany(b => b.Ipv4);

    private static void Add(string? text, List<MacBinding> bindings, List<string> invalid, string? original = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!MacAddress.TryParse(parts[0], out var mac) || mac.IsMulticast)
        {
            invalid.Add(original ?? text);
            return;
        }
        var ipv4 = new List<Ipv4Address>();
        foreach (var part in parts.Skip(1))
        {
            var address = part.Split('/')[0];
            if (Ipv4Address.TryParse(address, out var ip))
            {
                ipv4.Add(ip);
            }
            else if (!address.Contains(':', StringComparison.Ordinal) && part != "dynamic")
            {
                invalid.Add(original ?? text);
                return;
            }
        }
        bindings.Add(new MacBinding(mac, ipv4));
    }
}
