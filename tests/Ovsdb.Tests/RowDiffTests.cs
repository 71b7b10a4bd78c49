using IoVisor.Ovsdb.Caching;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Schema;

namespace IoVisor.Ovsdb.Tests;

public sealed class RowDiffTests
{
    private static readonly ColumnType StringSet = new(new BaseType(AtomType.String), null, 0, ColumnType.Unlimited);
    private static readonly ColumnType StringMap = new(new BaseType(AtomType.String), new BaseType(AtomType.String), 0, ColumnType.Unlimited);

    [Fact]
    public void A_set_diff_is_a_symmetric_difference()
    {
        var old = OvsdbSet.Of("a", "b", "c");
        var diff = OvsdbSet.Of("b", "d");
        Assert.Equal(OvsdbSet.Of("a", "c", "d"), RowDiff.Apply(old, diff, StringSet));
    }

    [Fact]
    public void A_set_diff_can_empty_and_refill_a_set()
    {
        Assert.Equal(OvsdbSet.Empty, RowDiff.Apply(OvsdbSet.Of("a"), OvsdbSet.Of("a"), StringSet));
        Assert.Equal(OvsdbSet.Of("x", "y"), RowDiff.Apply(OvsdbSet.Empty, OvsdbSet.Of("x", "y"), StringSet));
    }

    [Fact]
    public void A_map_diff_adds_new_keys_removes_same_values_and_replaces_different_ones()
    {
        var old = OvsdbMap.Of(new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "2", ["change"] = "3" });
        var diff = OvsdbMap.Of(new Dictionary<string, string> { ["drop"] = "2", ["change"] = "30", ["add"] = "4" });
        var expected = OvsdbMap.Of(new Dictionary<string, string> { ["keep"] = "1", ["change"] = "30", ["add"] = "4" });
        Assert.Equal(expected, RowDiff.Apply(old, diff, StringMap));
    }

    [Fact]
    public void A_column_of_at_most_one_element_is_sent_as_its_new_value()
    {
        var optional = new ColumnType(new BaseType(AtomType.String), null, 0, 1);
        Assert.Equal(OvsdbSet.Of("new"), RowDiff.Apply(OvsdbSet.Of("old"), OvsdbSet.Of("new"), optional));
        Assert.Equal(OvsdbSet.Empty, RowDiff.Apply(OvsdbSet.Of("old"), OvsdbSet.Empty, optional));
        Assert.Equal(OvsdbAtom.Integer(5), RowDiff.Apply(OvsdbAtom.Integer(1), OvsdbAtom.Integer(5), ColumnType.Scalar(AtomType.Integer)));
    }
}
