using System.Buffers.Binary;
using System.Globalization;

namespace IoVisor.IoModules;

/// <summary>An IPv4 address; <see cref="Value"/> in host order so that prefixes are plain bit math.</summary>
public readonly record struct Ipv4Address(uint Value)
{
    public static bool TryParse(string? text, out Ipv4Address address)
    {
        address = default;
        var parts = text?.Split('.');
        if (parts is not { Length: 4 })
        {
            return false;
        }
        uint value = 0;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }
            value = (value << 8) | b;
        }
        address = new Ipv4Address(value);
        return true;
    }

    /// <summary>From the bytes of a packet or a map (network order).</summary>
    public static Ipv4Address Read(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt32BigEndian(bytes));

    /// <summary>From a __be32 read as a native uint (map keys, punt words).</summary>
    public static Ipv4Address FromKernel(uint be32) => new(BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(be32) : be32);

    /// <summary>The __be32 a BPF map stores, as a native uint.</summary>
    public uint ToKernel() => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(Value) : Value;

    public void Write(Span<byte> bytes) => BinaryPrimitives.WriteUInt32BigEndian(bytes, Value);

    public bool IsZero => Value == 0;

    public bool IsMulticastOrBroadcast => Value >= 0xE0000000;

    public bool IsLoopback => Value >> 24 == 127;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Value >> 24}.{(Value >> 16) & 0xff}.{(Value >> 8) & 0xff}.{Value & 0xff}");
}
