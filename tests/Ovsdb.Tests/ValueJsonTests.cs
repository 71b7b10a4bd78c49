using System.Text.Json;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Schema;

namespace IoVisor.Ovsdb.Tests;

public sealed class ValueJsonTests
{
    private static readonly ColumnType StringSet = new(new BaseType(AtomType.String), null, 0, ColumnType.Unlimited);
    private static readonly ColumnType OptionalInteger = new(new BaseType(AtomType.Integer), null, 0, 1);
    private static readonly ColumnType StringMap = new(new BaseType(AtomType.String), new BaseType(AtomType.String), 0, ColumnType.Unlimited);

    public static TheoryData<string, string> Atoms => new()
    {
        { "42", "42" },
        { "-9223372036854775808", "-9223372036854775808" },
        { "2.5", "2.5" },
        { "3.0", "3.0" },
        { "true", "true" },
        { "\"a \\\"quoted\\\" {brace} é\"", "a \"quoted\" {brace} é" },
        { """["uuid","5b0a3a16-1bb3-4a5e-8e8b-54d1c0b5b0a3"]""", "5b0a3a16-1bb3-4a5e-8e8b-54d1c0b5b0a3" },
        { """["named-uuid","row1"]""", "row1" },
    };

    [Theory]
    [MemberData(nameof(Atoms))]
    public void Atoms_round_trip_through_json(string json, string expected)
    {
        var atom = Assert.IsType<OvsdbAtom>(OvsdbValue.FromJson(Parse(json)));
        Assert.Equal(expected, atom.Type switch
        {
            AtomType.String => atom.AsString,
            AtomType.Uuid => atom.AsUuid.ToString(),
            AtomType.NamedUuid => atom.AsNamedUuid,
            _ => json,
        });
        Assert.Equal(atom, OvsdbValue.FromJson(Parse(atom.ToString())));
    }

    [Fact]
    public void A_real_that_is_integral_stays_a_real()
    {
        var real = OvsdbAtom.Real(3);
        Assert.Equal("3.0", real.ToString());
        Assert.Equal(AtomType.Real, Assert.IsType<OvsdbAtom>(OvsdbValue.FromJson(Parse(real.ToString()))).Type);
        Assert.Equal(AtomType.Real, Assert.IsType<OvsdbAtom>(OvsdbValue.FromJson(Parse("3"), ColumnType.Scalar(AtomType.Real))).Type);
    }

    [Fact]
    public void Sets_are_read_in_long_form_and_as_the_single_atom_shorthand()
    {
        var longForm = OvsdbValue.FromJson(Parse("""["set",["b","a","c"]]"""), StringSet);
        Assert.Equal(OvsdbSet.Of("a", "b", "c"), longForm);
        Assert.Equal("""["set",["a","b","c"]]""", longForm.ToString());

        Assert.Equal(OvsdbSet.Of("a"), OvsdbValue.FromJson(Parse("\"a\""), StringSet));
        Assert.Equal(OvsdbSet.Empty, OvsdbValue.FromJson(Parse("""["set",[]]"""), OptionalInteger));
        Assert.Equal(OvsdbSet.Of(7L), OvsdbValue.FromJson(Parse("7"), OptionalInteger));
    }

    [Fact]
    public void A_column_of_exactly_one_atom_holds_an_atom_even_in_set_form()
    {
        var type = ColumnType.Scalar(AtomType.String);
        Assert.Equal(OvsdbAtom.String("x"), OvsdbValue.FromJson(Parse("\"x\""), type));
        Assert.Equal(OvsdbAtom.String("x"), OvsdbValue.FromJson(Parse("""["set",["x"]]"""), type));
        Assert.Throws<OvsdbProtocolException>(() => OvsdbValue.FromJson(Parse("""["set",[]]"""), type));
    }

    [Fact]
    public void Uuid_sets_round_trip()
    {
        var type = new ColumnType(new BaseType(AtomType.Uuid) { RefTable = "T" }, null, 0, ColumnType.Unlimited);
        var set = OvsdbSet.Of(Guid.NewGuid(), Guid.NewGuid());
        Assert.Equal(set, OvsdbValue.FromJson(Parse(set.ToString()), type));
        Assert.Equal(set, OvsdbValue.FromJson(Parse(set.ToString())));
    }

    [Fact]
    public void Maps_round_trip_and_compare_regardless_of_order()
    {
        var json = """["map",[["z","1"],["a","{\"}"]]]""";
        var map = Assert.IsType<OvsdbMap>(OvsdbValue.FromJson(Parse(json), StringMap));
        Assert.Equal("{\"}", map[OvsdbAtom.String("a")].AsString);
        Assert.Equal("""["map",[["a","{\"}"],["z","1"]]]""", map.ToString());
        Assert.Equal(map, OvsdbValue.FromJson(Parse(map.ToString()), StringMap));
        Assert.Equal(map, OvsdbMap.Of(new Dictionary<string, string> { ["a"] = "{\"}", ["z"] = "1" }));
        Assert.Equal(map, OvsdbValue.FromJson(Parse(json)));
    }

    [Fact]
    public void A_map_with_a_repeated_key_is_malformed()
    {
        Assert.Throws<OvsdbProtocolException>(() => OvsdbValue.FromJson(Parse("""["map",[["a","1"],["a","2"]]]"""), StringMap));
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_malformed()
    {
        Assert.Throws<OvsdbProtocolException>(() => OvsdbValue.FromJson(Parse("\"7\""), OptionalInteger));
        Assert.Throws<OvsdbProtocolException>(() => OvsdbValue.FromJson(Parse("""["uuid","not-a-uuid"]""")));
    }

    [Fact]
    public void Defaults_follow_the_column_type()
    {
        Assert.Equal(OvsdbAtom.Integer(0), ColumnType.Scalar(AtomType.Integer).Default);
        Assert.Equal(OvsdbAtom.String(""), ColumnType.Scalar(AtomType.String).Default);
        Assert.Equal(OvsdbAtom.Uuid(Guid.Empty), ColumnType.Scalar(AtomType.Uuid).Default);
        Assert.Equal(OvsdbSet.Empty, OptionalInteger.Default);
        Assert.Equal(OvsdbMap.Empty, StringMap.Default);
        Assert.Equal(OvsdbSet.Of(""), (StringSet with { Min = 1 }).Default);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
