using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using IoVisor.IoModules.Custom.Btf;

namespace IoVisor.Hover.Tests;

/// <summary>Map keys and values formatted from a BTF blob built here, type by type, as clang emits them.</summary>
public sealed class BtfJsonTests
{
    private const uint UnsignedInt = 1;
    private const uint Char = 2;
    private const uint CharArray = 3;
    private const uint Color = 4;
    private const uint Entry = 5;
    private const uint Be32 = 6;
    private const uint Bool = 7;
    private const uint U8Array = 10;
    private const uint Signed = 11;

    private static readonly BtfJson Json = new(BtfTypes.TryParse(BuildBlob()) ?? throw new InvalidOperationException("the test blob does not parse"));

    [Fact]
    public void A_typedef_formats_as_its_integer_in_host_order() =>
        Assert.Equal(16777226u, (uint?)Json.Format(Be32, [10, 0, 0, 1]));

    [Fact]
    public void A_struct_shows_members_by_name_with_strings_enums_and_bitfields()
    {
        var bytes = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 7);
        Encoding.ASCII.GetBytes("eth0").CopyTo(bytes, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 7);
        bytes[16] = 0b1000_1101; // flags (3 bits) = 5, level (5 bits, signed) = -15
        var expected = JsonNode.Parse("""{"id":7,"name":"eth0","color":"BLUE","flags":5,"level":-15}""");
        Assert.True(JsonNode.DeepEquals(expected, Json.Format(Entry, bytes)), Json.Format(Entry, bytes)?.ToJsonString());
    }

    [Fact]
    public void An_unknown_enum_value_is_a_number()
    {
        var bytes = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 3);
        Assert.Equal(3, (long?)Json.Format(Entry, bytes)!["color"]);
    }

    [Fact]
    public void Arrays_of_bytes_that_are_not_char_stay_numbers() =>
        Assert.True(JsonNode.DeepEquals(new JsonArray(65, 66, 0, 1), Json.Format(U8Array, [65, 66, 0, 1])));

    [Fact]
    public void A_char_array_without_a_nul_or_with_unprintable_bytes_stays_numbers()
    {
        Assert.IsType<JsonArray>(Json.Format(CharArray, "abcdefgh"u8.ToArray()));
        Assert.IsType<JsonArray>(Json.Format(CharArray, [1, 2, 0, 0, 0, 0, 0, 0]));
        Assert.Equal("ab", (string?)Json.Format(CharArray, [(byte)'a', (byte)'b', 0, 9, 9, 9, 9, 9]));
    }

    [Fact]
    public void Scalars_keep_their_kind()
    {
        Assert.Equal(true, (bool?)Json.Format(Bool, [1]));
        Assert.Equal(-2, (int?)Json.Format(Signed, [0xfe, 0xff, 0xff, 0xff]));
        Assert.Equal((sbyte)-1, (sbyte?)Json.Format(Char, [0xff]));
    }

    [Fact]
    public void Too_few_bytes_give_nothing() => Assert.Null(Json.Format(Entry, new byte[8]));

    [Fact]
    public void Unknown_type_ids_give_nothing() => Assert.Null(Json.Format(99, [0, 0, 0, 0]));

    [Fact]
    public void A_blob_that_is_not_btf_gives_no_types()
    {
        Assert.Null(BtfTypes.TryParse(null));
        Assert.Null(BtfTypes.TryParse("not btf at all, not at all"u8.ToArray()));
    }

    /// <summary>
    /// 1 unsigned int, 2 char (signed), 3 char[8], 4 enum color {RED = 0, BLUE = 7},
    /// 5 struct entry {unsigned int id; char name[8]; enum color color; unsigned int flags:3; int level:5;},
    /// 6 typedef __be32 → 1, 7 _Bool, 8 unsigned char, 9 typedef __u8 → 8, 10 __u8[4], 11 int.
    /// </summary>
    private static byte[] BuildBlob()
    {
        var b = new BlobBuilder();
        b.Int("unsigned int", 4, encoding: 0);
        b.Int("char", 1, encoding: 1);
        b.Type(3, "", 0, false, 0, Char, UnsignedInt, 8);
        b.Type(6, "color", 2, false, 4, b.Str("RED"), 0, b.Str("BLUE"), 7);
        b.Type(4, "entry", 5, true, 20,
            b.Str("id"), UnsignedInt, 0,
            b.Str("name"), CharArray, 32,
            b.Str("color"), Color, 96,
            b.Str("flags"), UnsignedInt, (3u << 24) | 128,
            b.Str("level"), Signed, (5u << 24) | 131);
        b.Type(8, "__be32", 0, false, UnsignedInt);
        b.Int("_Bool", 1, encoding: 4);
        b.Int("unsigned char", 1, encoding: 0);
        b.Type(8, "__u8", 0, false, 8);
        b.Type(3, "", 0, false, 0, 9, UnsignedInt, 4);
        b.Int("int", 4, encoding: 1);
        return b.Build();
    }

    private sealed class BlobBuilder
    {
        private readonly List<byte> _types = [];
        private readonly List<byte> _strings = [0];

        public uint Str(string s)
        {
            var offset = (uint)_strings.Count;
            _strings.AddRange(Encoding.UTF8.GetBytes(s));
            _strings.Add(0);
            return offset;
        }

        public void Int(string name, uint size, uint encoding) => Type(1, name, 0, false, size, (encoding << 24) | (size * 8));

        public void Type(uint kind, string name, uint vlen, bool kindFlag, uint sizeOrType, params uint[] trailing)
        {
            Add(name.Length == 0 ? 0 : Str(name));
            Add((kind << 24) | vlen | (kindFlag ? 1u << 31 : 0));
            Add(sizeOrType);
            foreach (var word in trailing)
            {
                Add(word);
            }
        }

        public byte[] Build()
        {
            var blob = new byte[24 + _types.Count + _strings.Count];
            BinaryPrimitives.WriteUInt16LittleEndian(blob, 0xeB9F);
            blob[2] = 1;
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)_types.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)_types.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)_strings.Count);
            _types.CopyTo(blob, 24);
            _strings.CopyTo(blob, 24 + _types.Count);
            return blob;
        }

        private void Add(uint word)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, word);
            _types.AddRange(bytes.ToArray());
        }
    }
}
