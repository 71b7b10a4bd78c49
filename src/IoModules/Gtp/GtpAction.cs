using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Gtp;

/// <summary>What the matcher does with a packet: drop it, forward it out of a named port, punt it
/// to the slow path, or pass it to the kernel stack of the netdev it came in on.</summary>
public sealed record GtpAction(string Kind, string? Port)
{
    public const string Drop = "drop";
    public const string Forward = "forward";
    public const string Punt = "punt";
    public const string Pass = "pass";

    /// <summary>Reads {"action": kind, "port": name} where <paramref name="allowed"/> are the kinds
    /// this place accepts; a port is required for forward and refused otherwise.</summary>
    public static GtpAction Read(ConfigReader reader, string kindField, string portField, string? fallback, params string[] allowed)
    {
        var kind = reader.Text(kindField, fallback);
        var port = reader.Text(portField, null);
        if (kind is null)
        {
            reader.Errors.Add(kindField, $"required: one of {string.Join(", ", allowed)}");
            return new GtpAction(Drop, null);
        }
        if (!allowed.Contains(kind, StringComparer.Ordinal))
        {
            reader.Errors.Add(kindField, $"must be one of: {string.Join(", ", allowed)}");
            return new GtpAction(Drop, null);
        }
        if (kind == Forward && string.IsNullOrEmpty(port))
        {
            reader.Errors.Add(portField, "required when the action is forward");
        }
        else if (kind != Forward && port is not null)
        {
            reader.Errors.Add(portField, "only a forward action names a port");
        }
        return new GtpAction(kind, kind == Forward ? port : null);
    }

    /// <summary>An action given as its own object, like config.defaultAction; errors are named
    /// "<paramref name="field"/>.action" and "<paramref name="field"/>.port".</summary>
    public static GtpAction ReadObject(JsonNode? node, ConfigErrors errors, string field, string fallback, params string[] allowed)
    {
        if (node is not null and not JsonObject)
        {
            errors.Add(field, """must be an object like {"action":"forward","port":"p1"}""");
            return new GtpAction(fallback, null);
        }
        var reader = new ConfigReader(node as JsonObject, new ConfigErrors());
        reader.RejectUnknown("action", "port");
        var action = Read(reader, "action", "port", fallback, allowed);
        foreach (var e in reader.Errors.Items)
        {
            errors.Add($"{field}.{e.Field}", e.Message);
        }
        return action;
    }

    public uint KernelAction => Kind switch
    {
        Forward => GtpAbi.ActionForward,
        Punt => GtpAbi.ActionPunt,
        Pass => GtpAbi.ActionPass,
        _ => GtpAbi.ActionDrop,
    };

    public static string KindOf(uint kernelAction) => kernelAction switch
    {
        GtpAbi.ActionForward => Forward,
        GtpAbi.ActionPunt => Punt,
        GtpAbi.ActionPass => Pass,
        _ => Drop,
    };

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["action"] = Kind };
        if (Port is not null)
        {
            json["port"] = Port;
        }
        return json;
    }
}
