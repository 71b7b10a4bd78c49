using System.Globalization;

namespace IoVisor.IoModules;

/// <summary>An IPv4 network, a.b.c.d/len, with no host bits set.</summary>
public readonly record struct Ipv4Prefix(Ipv4Address Network, int Length)
{
    public static uint MaskOf(int length) => length == 0 ? 0 : uint.MaxValue << (32 - length);

    public uint Mask => MaskOf(Length);

    /// <summary>Parses a prefix; an error message names what is wrong (host bits, length).</summary>
    public static bool TryParse(string? text, out Ipv4Prefix prefix, out string? error)
    {
        prefix = default;
        if (!TryParseInterface(text, out var address, out var length, out error))
        {
            return false;
        }
        if ((address.Value & ~MaskOf(length)) != 0)
        {
            error = $"has host bits set; the network is {new Ipv4Prefix(new Ipv4Address(address.Value & MaskOf(length)), length)}";
            return false;
        }
        prefix = new Ipv4Prefix(address, length);
        return true;
    }

    /// <summary>Parses an interface address, a.b.c.d/len with host bits (10.0.0.1/24).</summary>
    public static bool TryParseInterface(string? text, out Ipv4Address address, out int length, out string? error)
    {
        address = default;
        length = 0;
        error = null;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0
            || !Ipv4Address.TryParse(text[..slash], out address)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length)
            || length > 32)
        {
            error = "must be an IPv4 prefix like 10.0.0.0/24";
            return false;
        }
        return true;
    }

    public static Ipv4Prefix Of(Ipv4Address address, int length) => new(new Ipv4Address(address.Value & MaskOf(length)), length);

    public bool Contains(Ipv4Address address) => (address.Value & Mask) == Network.Value;

    public bool Overlaps(Ipv4Prefix other) => Contains(other.Network) || other.Contains(Network);

    public Ipv4Address Broadcast => new(Network.Value | ~Mask);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Network}/{Length}");
}
