using System.Buffers.Binary;
using System.Text;

namespace IoVisor.IoModules.Custom.Btf;

/// <summary>
/// The types of a raw BTF blob (linux/btf.h: header, type section, string section), by id; id 0 is void.
/// Only what describing map keys and values needs is kept. A blob this reader does not understand (another
/// byte order, an unknown kind) gives no types rather than wrong ones.
/// </summary>
internal sealed class BtfTypes
{
    private const ushort Magic = 0xeB9F;
    private const int HeaderLength = 24;
    private const int TypeHeaderLength = 12;

    private readonly List<BtfType> _types;

    private BtfTypes(List<BtfType> types) => _types = types;

    public BtfType? this[uint id] => id > 0 && id < _types.Count ? _types[(int)id] : null;

    public static BtfTypes? TryParse(byte[]? raw)
    {
        if (raw is null || raw.Length < HeaderLength || BinaryPrimitives.ReadUInt16LittleEndian(raw) != Magic)
        {
            return null;
        }
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(4));
        var typeOffset = headerLength + BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(8));
        var typeLength = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(12));
        var stringOffset = headerLength + BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(16));
        var stringLength = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(20));
        if ((ulong)typeOffset + typeLength > (ulong)raw.Length || (ulong)stringOffset + stringLength > (ulong)raw.Length)
        {
            return null;
        }
        var strings = raw.AsMemory((int)stringOffset, (int)stringLength);
        var types = new List<BtfType> { new(BtfKind.Void, "", 0, false) };
        var section = raw.AsSpan((int)typeOffset, (int)typeLength);
        while (section.Length >= TypeHeaderLength)
        {
            if (Read(ref section, strings.Span) is not { } type)
            {
                return null;
            }
            types.Add(type);
        }
        return new BtfTypes(types);
    }

    /// <summary>The type at the start of <paramref name="section"/>, which moves past it; null when malformed.</summary>
    private static BtfType? Read(ref Span<byte> section, ReadOnlySpan<byte> strings)
    {
        var name = StringAt(strings, U32(section, 0));
        var info = U32(section, 4);
        var sizeOrType = U32(section, 8);
        var kind = (BtfKind)((info >> 24) & 0x1f);
        var vlen = (int)(info & 0xffff);
        var kindFlag = (info >> 31) != 0;
        var type = new BtfType(kind, name, sizeOrType, kindFlag);
        var rest = section[TypeHeaderLength..];
        int trailing;
        switch (kind)
        {
            case BtfKind.Int:
                trailing = 4;
                if (rest.Length < trailing)
                {
                    return null;
                }
                var encoding = U32(rest, 0);
                type = type with { IntEncoding = (encoding >> 24) & 0xf, IntBitOffset = (encoding >> 16) & 0xff, IntBits = encoding & 0xff };
                break;
            case BtfKind.Array:
                trailing = 12;
                if (rest.Length < trailing)
                {
                    return null;
                }
                type = type with { ElementType = U32(rest, 0), ElementCount = U32(rest, 8) };
                break;
            case BtfKind.Struct or BtfKind.Union:
                trailing = vlen * 12;
                if (rest.Length < trailing)
                {
                    return null;
                }
                var members = new BtfMember[vlen];
                for (var i = 0; i < vlen; i++)
                {
                    var offset = U32(rest, i * 12 + 8);
                    members[i] = kindFlag
                        ? new BtfMember(StringAt(strings, U32(rest, i * 12)), U32(rest, i * 12 + 4), offset & 0xffffff, offset >> 24)
                        : new BtfMember(StringAt(strings, U32(rest, i * 12)), U32(rest, i * 12 + 4), offset, 0);
                }
                type = type with { Members = members };
                break;
            case BtfKind.Enum:
                trailing = vlen * 8;
                if (rest.Length < trailing)
                {
                    return null;
                }
                var enumerators = new BtfEnumerator[vlen];
                for (var i = 0; i < vlen; i++)
                {
                    var raw = U32(rest, i * 8 + 4);
                    enumerators[i] = new BtfEnumerator(StringAt(strings, U32(rest, i * 8)), kindFlag ? (int)raw : raw);
                }
                type = type with { Enumerators = enumerators };
                break;
            case BtfKind.Enum64:
                trailing = vlen * 12;
                if (rest.Length < trailing)
                {
                    return null;
                }
                var enumerators64 = new BtfEnumerator[vlen];
                for (var i = 0; i < vlen; i++)
                {
                    var value = ((ulong)U32(rest, i * 12 + 8) << 32) | U32(rest, i * 12 + 4);
                    enumerators64[i] = new BtfEnumerator(StringAt(strings, U32(rest, i * 12)), (long)value);
                }
                type = type with { Enumerators = enumerators64 };
                break;
            case BtfKind.FuncProto:
                trailing = vlen * 8;
                break;
            case BtfKind.Var or BtfKind.DeclTag:
                trailing = 4;
                break;
            case BtfKind.Datasec:
                trailing = vlen * 12;
                break;
            case BtfKind.Ptr or BtfKind.Fwd or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                or BtfKind.Func or BtfKind.Float or BtfKind.TypeTag:
                trailing = 0;
                break;
            default:
                return null;
        }
        if (rest.Length < trailing)
        {
            return null;
        }
        section = rest[trailing..];
        return type;
    }

    private static uint U32(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);

    private static string StringAt(ReadOnlySpan<byte> strings, uint offset)
    {
        if (offset >= strings.Length)
        {
            return "";
        }
        var tail = strings[(int)offset..];
        var end = tail.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? tail : tail[..end]);
    }
}
