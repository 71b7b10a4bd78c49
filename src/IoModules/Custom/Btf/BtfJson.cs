using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Custom.Btf;

/// <summary>
/// A map key or value as JSON, the way its BTF type describes it (and close to what bpftool prints):
/// integers as numbers (a 128-bit one as hex), bool as true/false, enums by enumerator name, structs as
/// objects (an anonymous struct or union member's fields inline), arrays as arrays, a char array that
/// holds a NUL-terminated printable string as that string. Byte order is the host's: a __be32 shows as
/// the number its bytes make on this machine, as bpftool shows it. Null when the bytes do not fit the type.
/// </summary>
internal sealed class BtfJson(BtfTypes types)
{
    // BTF has no cycles but through pointers, which are not followed; this only bounds a malformed blob.
    private const int MaxDepth = 32;

    public JsonNode? Format(uint typeId, ReadOnlySpan<byte> data) => Value(typeId, data, 0);

    private JsonNode? Value(uint typeId, ReadOnlySpan<byte> data, int depth)
    {
        var type = Resolve(typeId, depth, skipTypedefs: true);
        if (type is null || depth > MaxDepth || SizeOf(type, depth) is not { } size || size > (ulong)data.Length)
        {
            return null;
        }
        return type.Kind switch
        {
            BtfKind.Int when type.IntBitOffset != 0 || type.IntBits != type.SizeOrType * 8 =>
                Bits(data, type.IntBitOffset, type.IntBits, (type.IntEncoding & BtfType.IntSigned) != 0),
            BtfKind.Int => Integer(type, data),
            BtfKind.Ptr => JsonValue.Create(BinaryPrimitives.ReadUInt64LittleEndian(data)),
            BtfKind.Enum or BtfKind.Enum64 => Enumerator(type, data),
            BtfKind.Float => type.SizeOrType switch
            {
                4 => JsonValue.Create(BinaryPrimitives.ReadSingleLittleEndian(data)),
                8 => JsonValue.Create(BinaryPrimitives.ReadDoubleLittleEndian(data)),
                _ => Hex(data[..(int)type.SizeOrType]),
            },
            BtfKind.Array => Array(type, data, depth),
            BtfKind.Struct or BtfKind.Union => Object(type, data, depth),
            _ => null,
        };
    }

    private static JsonNode Integer(BtfType type, ReadOnlySpan<byte> data)
    {
        var signed = (type.IntEncoding & BtfType.IntSigned) != 0;
        if ((type.IntEncoding & BtfType.IntBool) != 0)
        {
            return JsonValue.Create(data[..(int)type.SizeOrType].ContainsAnyExcept((byte)0));
        }
        return type.SizeOrType switch
        {
            1 => signed ? JsonValue.Create((sbyte)data[0]) : JsonValue.Create(data[0]),
            2 => signed ? JsonValue.Create(BinaryPrimitives.ReadInt16LittleEndian(data)) : JsonValue.Create(BinaryPrimitives.ReadUInt16LittleEndian(data)),
            4 => signed ? JsonValue.Create(BinaryPrimitives.ReadInt32LittleEndian(data)) : JsonValue.Create(BinaryPrimitives.ReadUInt32LittleEndian(data)),
            8 => signed ? JsonValue.Create(BinaryPrimitives.ReadInt64LittleEndian(data)) : JsonValue.Create(BinaryPrimitives.ReadUInt64LittleEndian(data)),
            _ => Hex(data[..(int)type.SizeOrType]),
        };
    }

    /// <summary>A bitfield: <paramref name="bits"/> bits from bit <paramref name="bitOffset"/> (little-endian bit numbering).</summary>
    private static JsonNode? Bits(ReadOnlySpan<byte> data, uint bitOffset, uint bits, bool signed)
    {
        var first = (int)(bitOffset / 8);
        var last = (int)((bitOffset + bits + 7) / 8);
        if (bits is 0 or > 64 || last > data.Length || last - first > 16)
        {
            return null;
        }
        Span<byte> word = stackalloc byte[16];
        data[first..last].CopyTo(word);
        var value = (BinaryPrimitives.ReadUInt128LittleEndian(word) >> (int)(bitOffset % 8)) & ((UInt128.One << (int)bits) - 1);
        var unsigned = (ulong)value;
        if (signed && bits < 64 && (unsigned >> (int)(bits - 1)) != 0)
        {
            return JsonValue.Create((long)(unsigned | (ulong.MaxValue << (int)bits)));
        }
        return signed ? JsonValue.Create((long)unsigned) : JsonValue.Create(unsigned);
    }

    private static JsonNode Enumerator(BtfType type, ReadOnlySpan<byte> data)
    {
        long value = type.SizeOrType switch
        {
            1 => type.KindFlag ? (sbyte)data[0] : data[0],
            2 => type.KindFlag ? BinaryPrimitives.ReadInt16LittleEndian(data) : BinaryPrimitives.ReadUInt16LittleEndian(data),
            4 => type.KindFlag ? BinaryPrimitives.ReadInt32LittleEndian(data) : BinaryPrimitives.ReadUInt32LittleEndian(data),
            _ => BinaryPrimitives.ReadInt64LittleEndian(data),
        };
        var name = type.Enumerators.FirstOrDefault(e => e.Value == value)?.Name;
        return name is not null ? JsonValue.Create(name) : JsonValue.Create(value);
    }

    private JsonNode? Array(BtfType type, ReadOnlySpan<byte> data, int depth)
    {
        var elementType = Resolve(type.ElementType, depth, skipTypedefs: false);
        if (elementType is null || SizeOf(elementType, depth) is not { } stride)
        {
            return null;
        }
        var count = (int)type.ElementCount;
        if (stride == 1 && IsCharString(elementType, data[..count]) is { } text)
        {
            return JsonValue.Create(text);
        }
        var array = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            array.Add(Value(type.ElementType, data[(int)((ulong)i * stride)..], depth + 1));
        }
        return array;
    }

    /// <summary>The string a char array holds: its element is `char` itself (not a typedef such as __u8) and
    /// its bytes are printable up to a NUL; null otherwise.</summary>
    private static string? IsCharString(BtfType element, ReadOnlySpan<byte> bytes)
    {
        if (element.Kind != BtfKind.Int || element.SizeOrType != 1
            || ((element.IntEncoding & BtfType.IntChar) == 0 && element.Name != "char"))
        {
            return null;
        }
        var end = bytes.IndexOf((byte)0);
        return end >= 0 && !bytes[..end].ContainsAnyExceptInRange((byte)0x20, (byte)0x7e) ? Encoding.ASCII.GetString(bytes[..end]) : null;
    }

    private JsonObject Object(BtfType type, ReadOnlySpan<byte> data, int depth)
    {
        var json = new JsonObject();
        foreach (var member in type.Members)
        {
            var value = member.BitfieldSize != 0 || member.BitOffset % 8 != 0
                ? Bits(data, member.BitOffset, member.BitfieldSize != 0 ? member.BitfieldSize : IntBitsOf(member.Type, depth), IsSigned(member.Type, depth))
                : Value(member.Type, data[(int)(member.BitOffset / 8)..], depth + 1);
            if (member.Name.Length > 0)
            {
                json[member.Name] = value;
            }
            else if (value is JsonObject inner)
            {
                foreach (var (name, field) in inner.ToList())
                {
                    inner.Remove(name);
                    json[name] = field;
                }
            }
        }
        return json;
    }

    private uint IntBitsOf(uint typeId, int depth) => Resolve(typeId, depth, skipTypedefs: true) is { Kind: BtfKind.Int } t ? t.IntBits : 0;

    private bool IsSigned(uint typeId, int depth) =>
        Resolve(typeId, depth, skipTypedefs: true) is { Kind: BtfKind.Int } t && (t.IntEncoding & BtfType.IntSigned) != 0;

    /// <summary>The type behind modifiers (and typedefs, when <paramref name="skipTypedefs"/>).</summary>
    private BtfType? Resolve(uint typeId, int depth, bool skipTypedefs)
    {
        var type = types[typeId];
        for (var hops = 0; type is not null && (skipTypedefs ? type.IsAlias : type.IsModifier); hops++)
        {
            if (hops + depth > MaxDepth)
            {
                return null;
            }
            type = types[type.SizeOrType];
        }
        return type;
    }

    private ulong? SizeOf(BtfType type, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        return type.Kind switch
        {
            BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Float => type.SizeOrType,
            BtfKind.Ptr => 8,
            BtfKind.Array => Resolve(type.ElementType, depth, skipTypedefs: true) is { } element && SizeOf(element, depth + 1) is { } size
                ? size * type.ElementCount
                : null,
            _ when type.IsAlias => Resolve(type.SizeOrType, depth + 1, skipTypedefs: true) is { } target ? SizeOf(target, depth + 1) : null,
            _ => null,
        };
    }

    private static JsonValue Hex(ReadOnlySpan<byte> bytes) => JsonValue.Create("0x" + Convert.ToHexStringLower(bytes));
}
