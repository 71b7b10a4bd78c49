using System.Text.Json.Nodes;

namespace IoVisor.IoModules.L4lb;

/// <summary>An entry of the services table as written: {vip, port, protocol, mode}.</summary>
public sealed record ServiceSpec(ServiceKey Key, LbMode Mode)
{
    /// <summary>Fields the table shows but that are not written (they are accepted back, ignored,
    /// so that an entry read can be written again).</summary>
    private static readonly string[] Shown = ["backends", "usableBackends", "stats"];

    /// <summary>Reads an entry; <paramref name="key"/> (a PUT's) gives the defaults and must match.</summary>
    public static ServiceSpec Parse(string? key, JsonObject entry)
    {
        var reader = new ConfigReader(entry, new ConfigErrors());
        reader.RejectUnknown(["key", "vip", "port", "protocol", "mode", .. Shown]);
        ServiceKey? keyed = null;
        if (key is not null)
        {
            if (ServiceKey.TryParse(key, out var k))
            {
                keyed = k;
            }
            else
            {
                reader.Errors.Add("key", $"must be a service like \"tcp 10.0.0.100:80\" ({ServiceKey.Format})");
            }
        }
        var vipText = reader.Text("vip", keyed?.Vip.ToString());
        var port = reader.Integer("port", keyed?.Port ?? 0, 1, 65535);
        var protocol = reader.OneOf("protocol", keyed?.Protocol ?? "tcp", "tcp", "udp");
        var mode = reader.OneOf("mode", "dnat", "dnat", "dsr");
        Ipv4Address vip = default;
        if (vipText is null)
        {
            reader.Errors.Add("vip", "required");
        }
        else if (!Ipv4Address.TryParse(vipText, out vip) || vip.IsZero || vip.IsMulticastOrBroadcast || vip.IsLoopback)
        {
            reader.Errors.Add("vip", "must be a unicast IPv4 address like 10.0.0.100");
        }
        if (port == 0 && !reader.Has("port"))
        {
            reader.Errors.Add("port", "required");
        }
        reader.Errors.ThrowIfAny();
        var spec = new ServiceSpec(new ServiceKey(ServiceKey.ProtoOf(protocol), vip, (ushort)port), LbModeNames.Parse(mode));
        if (keyed is { } given && given != spec.Key)
        {
            throw new ConfigException("key", $"does not match the service of the entry ({spec.Key})");
        }
        return spec;
    }

    public JsonObject ToJson() => new()
    {
        ["key"] = Key.ToString(),
        ["vip"] = Key.Vip.ToString(),
        ["port"] = (long)Key.Port,
        ["protocol"] = Key.Protocol,
        ["mode"] = Mode.Name(),
    };
}
