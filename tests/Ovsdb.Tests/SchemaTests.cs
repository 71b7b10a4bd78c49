using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Schema;
using IoVisor.Ovsdb.Tests.Harness;
using IoVisor.Ovsdb.Typed;

namespace IoVisor.Ovsdb.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task The_ovn_northbound_schema_parses_with_types_bounds_enums_and_references()
    {
        var schema = await DatabaseSchema.LoadAsync(OvsTools.Schema(OvsTools.NbSchema), CancellationToken.None);

        Assert.Equal("OVN_Northbound", schema.Name);
        Assert.NotNull(schema.Version);
        Assert.Contains("Logical_Router", schema.Tables.Keys);

        var ports = schema.Table("Logical_Switch").Columns["ports"].Type;
        Assert.Equal((AtomType.Uuid, "Logical_Switch_Port", RefType.Strong, 0, ColumnType.Unlimited), (ports.Key.Type, ports.Key.RefTable, ports.Key.RefType, ports.Min, ports.Max));
        Assert.True(ports.IsComposite);

        var tag = schema.Table("Logical_Switch_Port").Columns["tag"].Type;
        Assert.Equal((AtomType.Integer, 1L, 4095L, 0, 1), (tag.Key.Type, tag.Key.MinInteger, tag.Key.MaxInteger, tag.Min, tag.Max));
        Assert.False(tag.IsComposite);

        var action = schema.Table("ACL").Columns["action"].Type;
        Assert.True(action.IsScalar);
        Assert.Contains(OvsdbAtom.String("allow-related"), action.Key.Enum!);

        var loadBalancers = schema.Table("Logical_Switch").Columns["load_balancer"].Type;
        Assert.Equal(RefType.Weak, loadBalancers.Key.RefType);

        var global = schema.Table("NB_Global");
        Assert.True(global.IsRoot);
        Assert.Equal(1, global.MaxRows);
        Assert.True(global.Columns["external_ids"].Type.IsMap);
        Assert.True(schema.Table("Connection").Columns["status"].Ephemeral);
        Assert.Contains(schema.Table("Logical_Switch_Port").Indexes, index => index.SequenceEqual(["name"]));
        Assert.False(schema.Table("Logical_Switch_Port").IsRoot);
        Assert.Equal(AtomType.Uuid, schema.Table("ACL").Columns["_uuid"].Type.Key.Type);
    }

    [Fact]
    public async Task The_open_vswitch_schema_parses()
    {
        var schema = await DatabaseSchema.LoadAsync(OvsTools.Schema(OvsTools.VswitchSchema), CancellationToken.None);

        Assert.Equal("Open_vSwitch", schema.Name);
        var ofport = schema.Table("Interface").Columns["ofport"].Type;
        Assert.Equal((AtomType.Integer, 0, 1), (ofport.Key.Type, ofport.Min, ofport.Max));
        var interfaces = schema.Table("Port").Columns["interfaces"].Type;
        Assert.Equal((1, ColumnType.Unlimited, "Interface"), (interfaces.Min, interfaces.Max, interfaces.Key.RefTable));
        Assert.Equal(OvsdbSet.Of(Guid.Empty), interfaces.Default);
        Assert.Equal(1, schema.Table("Open_vSwitch").MaxRows);
    }

    [Fact]
    public async Task A_record_that_fits_the_schema_has_no_problems()
    {
        var schema = await DatabaseSchema.LoadAsync(OvsTools.Schema(OvsTools.NbSchema), CancellationToken.None);
        Assert.Empty(RowMapping<LogicalSwitch>.Instance.FindProblems(schema));
        Assert.Empty(RowMapping<LogicalSwitchPort>.Instance.FindProblems(schema));
        Assert.Equal(["name", "ports", "external_ids"], RowMapping<LogicalSwitch>.Instance.Columns);
    }

    [Fact]
    public async Task A_record_that_does_not_fit_names_every_problem()
    {
        var schema = await DatabaseSchema.LoadAsync(OvsTools.Schema(OvsTools.NbSchema), CancellationToken.None);
        var problems = RowMapping<MisfitPort>.Instance.FindProblems(schema);

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("Logical_Switch_Port.name", StringComparison.Ordinal) && p.Contains("holds String, not Integer", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Logical_Switch_Port.tag", StringComparison.Ordinal) && p.Contains("must be nullable or a list", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Logical_Switch_Port.addresses", StringComparison.Ordinal) && p.Contains("must be a list", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Logical_Switch_Port.no_such_column", StringComparison.Ordinal) && p.Contains("does not exist", StringComparison.Ordinal));
        Assert.Equal(["the table Nope (for Nowhere) does not exist"], RowMapping<Nowhere>.Instance.FindProblems(schema));
    }

    [Fact]
    public void A_record_with_an_unmappable_parameter_is_refused_with_the_reason()
    {
        var e = Assert.Throws<InvalidOperationException>(() => RowMapping<Unmappable>.Instance);
        Assert.Contains("Unmappable.When", e.Message, StringComparison.Ordinal);
    }

    [OvsdbTable("Logical_Switch_Port")]
    public sealed record MisfitPort(Guid Uuid, long Name, long Tag, string? Addresses, string NoSuchColumn);

    [OvsdbTable("Nope")]
    public sealed record Nowhere(Guid Uuid);

    [OvsdbTable("Logical_Switch")]
    public sealed record Unmappable(Guid Uuid, DateTime When);
}
