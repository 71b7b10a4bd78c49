using System.Globalization;
using System.Text.Json.Nodes;
using IoVisor.Bpf;

namespace IoVisor.IoModules.Bridge;

/// <summary>The bridge's forwarding database over REST. Keys are "mac@vlan"; entries added here
/// are static (never age, never move); learned ones come from the datapath.</summary>
internal sealed class FdbTable(
    BpfMap<BridgeFdbKey, BridgeFdbEntry> map,
    BpfMap<uint, BridgeConfig> config,
    IModulePorts ports) : IModuleTable
{
    public IReadOnlyList<JsonObject> List()
    {
        var now = MonotonicClock.Nanoseconds();
        var aging = AgingNs();
        return map.Entries()
            .Where(e => !IsAged(e.Value, now, aging))
            .OrderBy(e => e.Key.Vlan)
            .ThenBy(e => MacOf(e.Key).Value)
            .Select(e => ToJson(e.Key, e.Value, now))
            .ToList();
    }

    public JsonObject? Get(string key)
    {
        var k = ParseKey(key, "key");
        return map.TryLookup(k, out var entry) && !IsAged(entry, MonotonicClock.Nanoseconds(), AgingNs())
            ? ToJson(k, entry, MonotonicClock.Nanoseconds())
            : null;
    }

    public JsonObject Put(string? key, JsonObject entry)
    {
        var reader = new ConfigReader(entry, new ConfigErrors());
        reader.RejectUnknown("key", "mac", "vlan", "port", "static", "ageSeconds");
        var macText = reader.Text("mac", null);
        var vlan = (ushort)reader.Integer("vlan", 1, 1, 4094);
        var portName = reader.Text("port", null);
        MacAddress mac = default;
        if (macText is null)
        {
            reader.Errors.Add("mac", "required");
        }
        else if (!MacAddress.TryParse(macText, out mac) || mac.IsMulticast)
        {
            reader.Errors.Add("mac", "must be a unicast MAC address like 02:00:00:00:00:01");
        }
        int? port = null;
        if (portName is null)
        {
            reader.Errors.Add("port", "required");
        }
        else if ((port = ports.IndexOf(portName)) is null)
        {
            reader.Errors.Add("port", $"the bridge has no port '{portName}'");
        }
        if (key is not null && !reader.Errors.Any && KeyText(mac, vlan) != NormalizeKey(key))
        {
            reader.Errors.Add("key", "does not match mac and vlan of the entry");
        }
        reader.Errors.ThrowIfAny();

        var k = MakeKey(mac, vlan);
        var value = new BridgeFdbEntry { Port = (uint)port!.Value, Flags = BridgeAbi.FdbStatic, SeenNs = MonotonicClock.Nanoseconds() };
        map.Update(k, value);
        return ToJson(k, value, value.SeenNs);
    }

    public bool Delete(string key) => map.Delete(ParseKey(key, "key"));

    public int Flush()
    {
        var keys = map.Keys().ToList();
        return keys.Count(k => map.Delete(k));
    }

    internal void ForgetPort(int index)
    {
        foreach (var (k, v) in map.Entries().ToList())
        {
            if (v.Port == index)
            {
                map.Delete(k);
            }
        }
    }

    internal void RemoveAged()
    {
        var aging = AgingNs();
        if (aging == 0)
        {
            return;
        }
        var now = MonotonicClock.Nanoseconds();
        foreach (var (k, v) in map.Entries().ToList())
        {
            if (IsAged(v, now, aging))
            {
                map.Delete(k);
            }
        }
    }

    private ulong AgingNs() => config.TryLookup(0, out var c) ? c.AgingNs : 0;

    private static bool IsAged(BridgeFdbEntry e, ulong now, ulong aging) =>
        (e.Flags & BridgeAbi.FdbStatic) == 0 && aging != 0 && now > e.SeenNs && now - e.SeenNs > aging;


    private JsonObject ToJson(BridgeFdbKey key, BridgeFdbEntry entry, ulong now)
    {
        var mac = MacOf(key);
        var isStatic = (entry.Flags & BridgeAbi.FdbStatic) != 0;
        return new JsonObject
        {
            ["key"] = KeyText(mac, key.Vlan),
            ["mac"] = mac.ToString(),
            ["vlan"] = key.Vlan,
            ["port"] = ports.NameOf((int)entry.Port) ?? entry.Port.ToString(CultureInfo.InvariantCulture),
            ["static"] = isStatic,
            ["ageSeconds"] = isStatic || now < entry.SeenNs ? 0 : (long)((now - entry.SeenNs) / 1_000_000_000UL),
        };
    }

    private static string KeyText(MacAddress mac, ushort vlan) =>
        string.Create(CultureInfo.InvariantCulture, $"{mac}@{vlan}");

    private static string NormalizeKey(string key)
    {
        var k = ParseKey(key, "key");
        return KeyText(MacOf(k), k.Vlan);
    }

    private static BridgeFdbKey ParseKey(string key, string field)
    {
        var at = key.IndexOf('@', StringComparison.Ordinal);
        var macPart = at < 0 ? key : key[..at];
        ushort vlan = 1;
        if (!MacAddress.TryParse(macPart, out var mac)
            || (at >= 0 && (!ushort.TryParse(key[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out vlan) || vlan is 0 or > 4094)))
        {
            throw new ConfigException(field, "must be <mac>@<vlan>, e.g. 02:00:00:00:00:01@1");
        }
        return MakeKey(mac, vlan);
    }

    private static unsafe BridgeFdbKey MakeKey(MacAddress mac, ushort vlan)
    {
        var key = new BridgeFdbKey { Vlan = vlan };
        mac.CopyTo(new Span<byte>(key.Mac, 6));
        return key;
    }

    private static unsafe MacAddress MacOf(BridgeFdbKey key) => MacAddress.FromBytes(new ReadOnlySpan<byte>(key.Mac, 6));
}
