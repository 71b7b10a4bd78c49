using System.Globalization;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules.L4lb;

/// <summary>An entry of the backends table as written: {service, address, port, weight, healthy, mac}.
/// Keyed <c>&lt;service&gt; &lt;address&gt;:&lt;port&gt;</c>: "tcp 10.0.0.100:80 10.0.2.11:8080".</summary>
public sealed record BackendSpec(ServiceKey Service, Ipv4Address Address, ushort Port, int Weight, bool Healthy, MacAddress? Mac)
{
    public const int DefaultWeight = 100;
    public const int MaxWeight = 1000;
    public const string Format = "<service> <address>:<port>";

    /// <summary>Shown by the table, accepted back and ignored.</summary>
    private static readonly string[] Shown = ["slots"];

    /// <summary>The backend's name within its service; its Maglev permutation comes from it.</summary>
    public string Name => NameOf(Address, Port);

    public static string NameOf(Ipv4Address address, ushort port) => string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");

    public string Key => $"{Service} {Name}";

    public bool Usable => Healthy && Weight > 0;

    /// <summary>Reads an entry against the services there are (<paramref name="serviceOf"/>); a
    /// PUT's <paramref name="key"/> gives the defaults and must match.</summary>
    public static BackendSpec Parse(string? key, JsonObject entry, Func<ServiceKey, ServiceSpec?> serviceOf)
    {
        var reader = new ConfigReader(entry, new ConfigErrors());
        reader.RejectUnknown(["key", "service", "address", "port", "weight", "healthy", "mac", .. Shown]);
        (ServiceKey Service, Ipv4Address Address, ushort Port)? keyed = null;
        if (key is not null)
        {
            if (TryParseKey(key, out var k))
            {
                keyed = k;
            }
            else
            {
                reader.Errors.Add("key", $"must be a backend like \"tcp 10.0.0.100:80 10.0.2.11:8080\" ({Format})");
            }
        }
        var serviceText = reader.Text("service", keyed?.Service.ToString());
        var addressText = reader.Text("address", keyed?.Address.ToString());
        var weight = (int)reader.Integer("weight", DefaultWeight, 0, MaxWeight);
        var healthy = reader.Boolean("healthy", true);
        var macText = reader.Text("mac", null);

        ServiceSpec? service = null;
        if (serviceText is null)
        {
            reader.Errors.Add("service", "required: the key of a service, like \"tcp 10.0.0.100:80\"");
        }
        else if (!ServiceKey.TryParse(serviceText, out var serviceKey))
        {
            reader.Errors.Add("service", $"must be the key of a service, like \"tcp 10.0.0.100:80\" ({ServiceKey.Format})");
        }
        else if ((service = serviceOf(serviceKey)) is null)
        {
            reader.Errors.Add("service", $"no service '{serviceKey}'; create it first");
        }
        var port = reader.Integer("port", keyed?.Port ?? service?.Key.Port ?? 0, 1, 65535);
        Ipv4Address address = default;
        if (addressText is null)
        {
            reader.Errors.Add("address", "required");
        }
        else if (!Ipv4Address.TryParse(addressText, out address) || address.IsZero || address.IsMulticastOrBroadcast || address.IsLoopback)
        {
            reader.Errors.Add("address", "must be a unicast IPv4 address like 10.0.2.11");
        }
        MacAddress? mac = null;
        if (macText is not null)
        {
            if (MacAddress.TryParse(macText, out var m) && !m.IsMulticast && m.Value != 0)
            {
                mac = m;
            }
            else
            {
                reader.Errors.Add("mac", "must be a unicast MAC address like 02:00:00:00:00:01");
            }
        }
        if (service?.Mode == LbMode.Dsr)
        {
            if (macText is null)
            {
                reader.Errors.Add("mac", "required for a backend of a dsr service: the balancer sends to it by MAC");
            }
            if (port != service.Key.Port)
            {
                reader.Errors.Add("port", $"a dsr backend answers on the service's port ({service.Key.Port}): dsr does not translate ports");
            }
        }
        reader.Errors.ThrowIfAny();
        var spec = new BackendSpec(service!.Key, address, (ushort)port, weight, healthy, mac);
        if (keyed is { } given && (given.Service, given.Address, given.Port) != (spec.Service, spec.Address, spec.Port))
        {
            throw new ConfigException("key", $"does not match the backend of the entry ({spec.Key})");
        }
        return spec;
    }

    public static bool TryParseKey(string key, out (ServiceKey Service, Ipv4Address Address, ushort Port) parsed)
    {
        parsed = default;
        var space = key.LastIndexOf(' ');
        var colon = key.LastIndexOf(':');
        if (space < 0 || colon < space
            || !ServiceKey.TryParse(key[..space], out var service)
            || !Ipv4Address.TryParse(key[(space + 1)..colon], out var address)
            || !ushort.TryParse(key[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
        {
            return false;
        }
        parsed = (service, address, port);
        return true;
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["key"] = Key,
            ["service"] = Service.ToString(),
            ["address"] = Address.ToString(),
            ["port"] = (long)Port,
            ["weight"] = (long)Weight,
            ["healthy"] = Healthy,
        };
        if (Mac is { } mac)
        {
            json["mac"] = mac.ToString();
        }
        return json;
    }
}
