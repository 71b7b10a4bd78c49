using System.Globalization;

namespace IoVisor.IoModules;

/// <summary>A 48-bit Ethernet address, written aa:bb:cc:dd:ee:ff.</summary>
public readonly record struct MacAddress(ulong Value)
{
    public static bool TryParse(string? text, out MacAddress mac)
    {
        mac = default;
        if (text is null)
        {
            return false;
        }
        var parts = text.Split(':', '-');
        if (parts.Length != 6)
        {
            return false;
        }
        ulong value = 0;
        foreach (var part in parts)
        {
            if (part.Length != 2 || !byte.TryParse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }
            value = (value << 8) | b;
        }
        mac = new MacAddress(value);
        return true;
    }

    public static MacAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        for (var i = 0; i < 6; i++)
        {
            value = (value << 8) | bytes[i];
        }
        return new MacAddress(value);
    }

    public void CopyTo(Span<byte> bytes)
    {
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(Value >> (8 * (5 - i)));
        }
    }

    public bool IsMulticast => ((Value >> 40) & 1) != 0;

    public override string ToString()
    {
        Span<byte> b = stackalloc byte[6];
        CopyTo(b);
        return string.Create(CultureInfo.InvariantCulture, $"{b[0]:x2}:{b[1]:x2}:{b[2]:x2}:{b[3]:x2}:{b[4]:x2}:{b[5]:x2}");
    }
}
