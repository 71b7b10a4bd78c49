using System.Text.Json;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Firewall;

/// <summary>TCP flags a rule requires set (<see cref="Value"/>) or clear, among the ones it names
/// (<see cref="Mask"/>): {"syn":true,"ack":false} matches the opening SYN only.</summary>
public readonly record struct TcpFlagMatch(byte Value, byte Mask)
{
    /// <summary>The flags in the order of their bits in the TCP header (FIN is bit 0).</summary>
    public static readonly string[] Names = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"];

    /// <summary>Reads {"syn":true,...}; errors go to <paramref name="errors"/> as tcpFlags.&lt;flag&gt;.</summary>
    public static TcpFlagMatch? Parse(JsonNode? node, ConfigErrors errors)
    {
        if (node is not JsonObject flags || flags.Count == 0)
        {
            errors.Add("tcpFlags", $"must be an object of flags to match set (true) or clear (false), of: {string.Join(", ", Names)}");
            return null;
        }
        byte value = 0, mask = 0;
        foreach (var (name, setting) in flags)
        {
            var bit = Array.IndexOf(Names, name);
            if (bit < 0)
            {
                errors.Add($"tcpFlags.{name}", $"unknown flag; expected one of: {string.Join(", ", Names)}");
            }
            else if (setting is not JsonValue v || v.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add($"tcpFlags.{name}", "must be true (set) or false (clear)");
            }
            else
            {
                mask |= (byte)(1 << bit);
                value |= v.GetValue<bool>() ? (byte)(1 << bit) : (byte)0;
            }
        }
        return new TcpFlagMatch(value, mask);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        for (var bit = 0; bit < Names.Length; bit++)
        {
            if ((Mask & (1 << bit)) != 0)
            {
                json[Names[bit]] = (Value & (1 << bit)) != 0;
            }
        }
        return json;
    }
}
