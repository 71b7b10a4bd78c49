using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Firewall;

/// <summary>A range of port numbers, one port ("80") or several ("1000-2000").</summary>
public readonly record struct PortRange(ushort First, ushort Last)
{
    public const string Expected = "must be a port (80) or a range (1000-2000) of ports 0 to 65535, first not above last";

    /// <summary>Reads a JSON number or a string.</summary>
    public static bool TryParse(JsonNode? node, out PortRange range)
    {
        range = default;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            if (!ushort.TryParse(v.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                return false;
            }
            range = new PortRange(port, port);
            return true;
        }
        if (node is not JsonValue s || s.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }
        var parts = s.GetValue<string>().Split('-');
        if (parts.Length is 0 or > 2
            || !ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !ushort.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || first > last)
        {
            return false;
        }
        range = new PortRange(first, last);
        return true;
    }

    /// <summary>The fewest aligned blocks that cover exactly the range, each a value and a mask
    /// (a prefix of the 16 bits): 1000-2000 is 1000/13, 1008/12, 1024/7, 1536/8, 1792/9, 1920/10,
    /// 1984/12 and 2000/16.</summary>
    public IReadOnlyList<(ushort Value, ushort Mask)> Blocks()
    {
        var blocks = new List<(ushort, ushort)>();
        uint low = First;
        while (low <= Last)
        {
            var size = low == 0 ? 0x10000u : low & (uint)-(int)low;
            while (low + size - 1 > Last)
            {
                size >>= 1;
            }
            blocks.Add(((ushort)low, (ushort)~(size - 1)));
            low += size;
        }
        return blocks;
    }

    public override string ToString() => First == Last
        ? First.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}
