using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Gtp;

/// <summary>
/// What a rule matches: the GTP version, the TEID (null: a GTPv2-C message without one, T = 0)
/// and the message type (null: any). Written as the rule's key, "v2 teid 0x1234 type 32",
/// "v1 teid 0x10 any", "v2 teid none type 1".
/// </summary>
public readonly record struct GtpMatch(int Version, uint? Teid, byte? MessageType)
{
    public const string NoTeid = "none";
    public const string AnyType = "any";
    public const string KeyFormat = "v<1|2> teid <0x…|none> <type <0..255>|any>";

    /// <summary>Reads the match of a rule entry; errors name "version", "teid" and "messageType".
    /// Fields the entry leaves out come from <paramref name="key"/> when it is given (a PUT).</summary>
    public static GtpMatch Read(JsonObject entry, ConfigErrors errors, GtpMatch? key = null)
    {
        var version = entry["version"] is null && key is { } kv ? kv.Version : ReadVersion(entry["version"], errors);
        var teid = entry["teid"] is null && key is { } kt ? kt.Teid : ReadTeid(entry["teid"], version, errors);
        var type = entry["messageType"] is null && key is { } km ? km.MessageType : ReadType(entry["messageType"], errors);
        return new GtpMatch(version, teid, type);
    }

    public static bool TryParse(string? text, out GtpMatch match)
    {
        match = default;
        var words = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is not (4 or 5) || !string.Equals(words[1], "teid", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        int version = words[0].ToLowerInvariant() switch { "v1" => 1, "v2" => 2, _ => 0 };
        uint? teid = null;
        if (!string.Equals(words[2], NoTeid, StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseTeid(words[2], out var t))
            {
                return false;
            }
            teid = t;
        }
        byte? type = null;
        if (words.Length == 5)
        {
            if (!string.Equals(words[3], "type", StringComparison.OrdinalIgnoreCase)
                || !byte.TryParse(words[4], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                return false;
            }
            type = t;
        }
        else if (!string.Equals(words[3], AnyType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (version == 0 || (teid is null && version == 1))
        {
            return false;
        }
        match = new GtpMatch(version, teid, type);
        return true;
    }

    public static GtpMatch FromKernel(GtpRuleKey key) => new(
        key.Version,
        (key.Flags & GtpAbi.KeyNoTeid) != 0 ? null : key.Teid,
        (key.Flags & GtpAbi.KeyAnyType) != 0 ? null : key.MsgType);

    public GtpRuleKey ToKernel() => new()
    {
        Teid = Teid ?? 0,
        Version = (byte)Version,
        MsgType = MessageType ?? 0,
        Flags = (byte)((Teid is null ? GtpAbi.KeyNoTeid : 0) | (MessageType is null ? GtpAbi.KeyAnyType : 0)),
    };

    public override string ToString()
    {
        var teid = Teid is { } t ? string.Create(CultureInfo.InvariantCulture, $"0x{t:x}") : NoTeid;
        var type = MessageType is { } m ? string.Create(CultureInfo.InvariantCulture, $"type {m}") : AnyType;
        return $"v{Version} teid {teid} {type}";
    }

    /// <summary>The match's fields as a rule entry shows them.</summary>
    public void WriteTo(JsonObject json)
    {
        json["version"] = Version;
        json["teid"] = Teid is { } t ? JsonValue.Create((long)t) : JsonValue.Create(NoTeid);
        json["messageType"] = MessageType is { } m ? JsonValue.Create((int)m) : JsonValue.Create(AnyType);
    }

    private static int ReadVersion(JsonNode? node, ConfigErrors errors)
    {
        if (node is null)
        {
            errors.Add("version", "required: 1 (GTPv1-U) or 2 (GTPv2-C)");
            return 1;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.ToJsonString() is "1" or "2")
        {
            return v.ToJsonString() == "1" ? 1 : 2;
        }
        errors.Add("version", "must be 1 (GTPv1-U) or 2 (GTPv2-C)");
        return 1;
    }

    private static uint? ReadTeid(JsonNode? node, int version, ConfigErrors errors)
    {
        const string expected = "must be an integer from 0 to 4294967295, a hex string like \"0x1234\", or \"none\" (GTPv2-C messages without a TEID)";
        if (node is null)
        {
            errors.Add("teid", "required");
            return 0;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && uint.TryParse(v.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String)
        {
            var text = s.GetValue<string>();
            if (string.Equals(text, NoTeid, StringComparison.OrdinalIgnoreCase))
            {
                if (version == 1)
                {
                    errors.Add("teid", "a GTPv1-U header always carries a TEID");
                }
                return null;
            }
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && TryParseTeid(text, out var hex))
            {
                return hex;
            }
        }
        errors.Add("teid", expected);
        return 0;
    }

    private static byte? ReadType(JsonNode? node, ConfigErrors errors)
    {
        if (node is null || (node is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>() == AnyType))
        {
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && byte.TryParse(v.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var type))
        {
            return type;
        }
        errors.Add("messageType", "must be an integer from 0 to 255, or \"any\"");
        return null;
    }

    private static bool TryParseTeid(string text, out uint teid) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out teid)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out teid);
}
