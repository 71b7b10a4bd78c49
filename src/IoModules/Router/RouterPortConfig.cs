using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Router;

/// <summary>An address of a router port: the address and the length of its network.</summary>
public readonly record struct PortAddress(Ipv4Address Address, int Length)
{
    public Ipv4Prefix Network => Ipv4Prefix.Of(Address, Length);

    /// <summary>The address alone, the key of its local route.</summary>
    public Ipv4Prefix Host => new(Address, 32);

    public override string ToString() => $"{Address}/{Length}";
}

/// <summary>A router port: its MAC (a random locally administered one when not given) and its
/// IPv4 addresses; the networks of the addresses are the port's connected routes.</summary>
public sealed record RouterPortConfig(MacAddress Mac, IReadOnlyList<PortAddress> Addresses)
{
    public const int MaxAddresses = 8;

    public static RouterPortConfig Parse(JsonObject? config)
    {
        var reader = new ConfigReader(config, new ConfigErrors("config"));
        reader.RejectUnknown("mac", "addresses");
        var macText = reader.Text("mac", null);
        var mac = RandomMac();
        if (macText is not null && (!MacAddress.TryParse(macText, out mac) || mac.IsMulticast || mac.Value == 0))
        {
            reader.Errors.Add("mac", "must be a unicast MAC address like 02:00:00:00:00:01");
        }
        var texts = reader.Texts("addresses");
        if (texts.Count > MaxAddresses)
        {
            reader.Errors.Add("addresses", $"at most {MaxAddresses} addresses per port");
        }
        var addresses = new List<PortAddress>();
        for (var i = 0; i < texts.Count; i++)
        {
            var field = $"addresses[{i}]";
            if (!Ipv4Prefix.TryParseInterface(texts[i], out var address, out var length, out var error))
            {
                reader.Errors.Add(field, "must be an interface address like 10.0.0.1/24");
                continue;
            }
            var a = new PortAddress(address, length);
            if (ProblemOf(a) is { } problem)
            {
                reader.Errors.Add(field, problem);
            }
            else if (addresses.FirstOrDefault(o => o.Network.Overlaps(a.Network)) is { Length: > 0 } other)
            {
                reader.Errors.Add(field, $"overlaps {other} of the same port");
            }
            else
            {
                addresses.Add(a);
            }
        }
        reader.Errors.ThrowIfAny();
        return new RouterPortConfig(mac, addresses);
    }

    private static string? ProblemOf(PortAddress a)
    {
        if (a.Length == 0)
        {
            return "a port address needs a prefix length of 1 to 32";
        }
        if (a.Address.IsZero || a.Address.IsMulticastOrBroadcast || a.Address.IsLoopback)
        {
            return "must be a unicast host address";
        }
        if (a.Length <= 30 && (a.Address == a.Network.Network || a.Address == a.Network.Broadcast))
        {
            return $"is the {(a.Address == a.Network.Network ? "network" : "broadcast")} address of {a.Network}";
        }
        return null;
    }

    /// <summary>The address of this port to speak from towards <paramref name="peer"/>: the one on
    /// its network, else the first.</summary>
    public Ipv4Address? SourceFor(Ipv4Address peer) =>
        Addresses.Where(a => a.Network.Contains(peer)).Select(a => (Ipv4Address?)a.Address).FirstOrDefault()
        ?? Addresses.Select(a => (Ipv4Address?)a.Address).FirstOrDefault();

    public JsonObject ToJson() => new()
    {
        ["mac"] = Mac.ToString(),
        ["addresses"] = new JsonArray(Addresses.Select(a => (JsonNode)JsonValue.Create(a.ToString())!).ToArray()),
    };

    public unsafe RouterPort ToKernel()
    {
        var port = new RouterPort { Enabled = 1 };
        Mac.CopyTo(new Span<byte>(port.Mac, 6));
        return port;
    }

    private static MacAddress RandomMac()
    {
        Span<byte> b = stackalloc byte[6];
        RandomNumberGenerator.Fill(b);
        b[0] = (byte)((b[0] & 0xfe) | 0x02);
        return MacAddress.FromBytes(b);
    }
}
