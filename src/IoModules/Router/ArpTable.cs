using System.Globalization;
using System.Text.Json.Nodes;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Router;

/// <summary>The router's ARP table over REST, keyed by address. The datapath learns entries from
/// ARP it sees; entries added here are static (never age, never overwritten by ARP).</summary>
internal sealed class ArpTable(BpfMap<uint, RouterNeigh> map, RouterDatapath router, IModulePorts ports) : IModuleTable
{
    public IReadOnlyList<JsonObject> List()
    {
        var now = MonotonicClock.Nanoseconds();
        return map.Entries()
            .OrderBy(e => Ipv4Address.FromKernel(e.Key).Value)
            .Select(e => ToJson(e.Key, e.Value, now))
            .ToList();
    }

    public JsonObject? Get(string key)
    {
        var k = ParseKey(key).ToKernel();
        return map.TryLookup(k, out var entry) ? ToJson(k, entry, MonotonicClock.Nanoseconds()) : null;
    }

    public JsonObject Put(string? key, JsonObject entry)
    {
        var reader = new ConfigReader(entry, new ConfigErrors());
        reader.RejectUnknown("key", "address", "mac", "port", "static", "ageSeconds");
        var addressText = reader.Text("address", key);
        var macText = reader.Text("mac", null);
        var portName = reader.Text("port", null);
        Ipv4Address address = default;
        if (addressText is null)
        {
            reader.Errors.Add("address", "required");
        }
        else if (!Ipv4Address.TryParse(addressText, out address) || address.IsZero || address.IsMulticastOrBroadcast)
        {
            reader.Errors.Add("address", "must be a unicast IPv4 address like 10.0.0.2");
        }
        else if (router.IsLocal(address))
        {
            reader.Errors.Add("address", "is an address of this router");
        }
        else if (key is not null && (!Ipv4Address.TryParse(key, out var keyAddress) || keyAddress != address))
        {
            reader.Errors.Add("key", "does not match the address of the entry");
        }
        MacAddress mac = default;
        if (macText is null)
        {
            reader.Errors.Add("mac", "required");
        }
        else if (!MacAddress.TryParse(macText, out mac) || mac.IsMulticast || mac.Value == 0)
        {
            reader.Errors.Add("mac", "must be a unicast MAC address like 02:00:00:00:00:01");
        }
        int? port = null;
        if (portName is null)
        {
            port = reader.Errors.Any ? null : router.PortFor(address);
            if (port is null && !reader.Errors.Any)
            {
                reader.Errors.Add("port", "required: the address is on no connected network");
            }
        }
        else if ((port = ports.IndexOf(portName)) is null)
        {
            reader.Errors.Add("port", $"the router has no port '{portName}'");
        }
        reader.Errors.ThrowIfAny();

        var value = Entry(mac, port!.Value);
        map.Update(address.ToKernel(), value);
        return ToJson(address.ToKernel(), value, MonotonicClock.Nanoseconds());
    }

    public bool Delete(string key) => map.Delete(ParseKey(key).ToKernel());

    public int Flush()
    {
        var keys = map.Keys().ToList();
        return keys.Count(k => map.Delete(k));
    }

    internal void ForgetLearnedOn(int port)
    {
        foreach (var (k, v) in map.Entries().ToList())
        {
            if (v.Port == port && (v.Flags & RouterAbi.NeighStatic) == 0)
            {
                map.Delete(k);
            }
        }
    }

    internal void RemoveAged(int agingSeconds)
    {
        if (agingSeconds == 0)
        {
            return;
        }
        var now = MonotonicClock.Nanoseconds();
        var aging = (ulong)agingSeconds * 1_000_000_000UL;
        foreach (var (k, v) in map.Entries().ToList())
        {
            if ((v.Flags & RouterAbi.NeighStatic) == 0 && now > v.SeenNs && now - v.SeenNs > aging)
            {
                map.Delete(k);
            }
        }
    }

    private static unsafe RouterNeigh Entry(MacAddress mac, int port)
    {
        var value = new RouterNeigh { Flags = RouterAbi.NeighStatic, Port = (uint)port, SeenNs = MonotonicClock.Nanoseconds() };
        mac.CopyTo(new Span<byte>(value.Mac, 6));
        return value;
    }

    private static Ipv4Address ParseKey(string key) =>
        Ipv4Address.TryParse(key, out var address) ? address : throw new ConfigException("key", "must be an IPv4 address like 10.0.0.2");


    private unsafe JsonObject ToJson(uint key, RouterNeigh entry, ulong now)
    {
        var isStatic = (entry.Flags & RouterAbi.NeighStatic) != 0;
        var address = Ipv4Address.FromKernel(key).ToString();
        return new JsonObject
        {
            ["key"] = address,
            ["address"] = address,
            ["mac"] = MacAddress.FromBytes(new ReadOnlySpan<byte>(entry.Mac, 6)).ToString(),
            ["port"] = ports.NameOf((int)entry.Port) ?? entry.Port.ToString(CultureInfo.InvariantCulture),
            ["static"] = isStatic,
            ["ageSeconds"] = isStatic || now < entry.SeenNs ? 0 : (long)((now - entry.SeenNs) / 1_000_000_000UL),
        };
    }
}
