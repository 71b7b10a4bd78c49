using System.Text.Json.Nodes;
using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Service;

namespace IoVisor.OvnBridge.Tests.Unit;

public sealed class RejectedItemsTests
{
    private static readonly RowRef Row = new("Logical_Switch", Guid.NewGuid(), "ls1");
    private static readonly RowRef PortRow = new("Logical_Switch_Port", Guid.NewGuid(), "vm1");

    private static readonly DesiredGraph Graph = new(
        [
            new DesiredModule("ls-ls1", "bridge", "tc", [], [new DesiredPort("vm1", []), new DesiredPort("vm2", [])], Row),
            new DesiredModule("fw-vm1", "firewall", "tc", [], [new DesiredPort("inside", []), new DesiredPort("outside", [])], PortRow),
        ],
        [
            new DesiredLink("ls-ls1:vm1", "fw-vm1:outside", PortRow),
            new DesiredLink("fw-vm1:inside", "netdev:tap1", PortRow),
            new DesiredLink("ls-ls1:vm2", "netdev:tap2", Row),
        ],
        [
            new DesiredEntry("ls-ls1", "fdb", null, new JsonObject { ["mac"] = "02:00:00:00:00:01" }, PortRow),
            new DesiredEntry("fw-vm1", "rules", "r1", new JsonObject { ["key"] = "r1" }, PortRow),
        ]);

    [Fact]
    public void A_refused_module_takes_its_links_and_entries_with_it()
    {
        var refused = new List<UntranslatedRow>();
        var g = Remove([new GraphRejection(GraphItemKind.Module, 1, 0, "no free module slot")], refused);
        Assert.Equal(["ls-ls1"], g.Modules.Select(m => m.Name));
        Assert.Equal(["ls-ls1:vm2"], g.Links.Select(l => l.From));
        Assert.Equal(["ls-ls1"], g.Entries.Select(e => e.Module));
        var row = Assert.Single(refused);
        Assert.Equal(("Logical_Switch_Port", "vm1"), (row.Table, row.Name));
        Assert.Equal("Hover refused the module fw-vm1: no free module slot", row.Reason);
    }

    [Fact]
    public void A_refused_port_takes_its_links_and_a_refused_link_or_entry_only_itself()
    {
        var refused = new List<UntranslatedRow>();
        var g = Remove(
        [
            new GraphRejection(GraphItemKind.Port, 0, 1, "bad"),
            new GraphRejection(GraphItemKind.Link, 1, 0, "no interface 'tap1'"),
            new GraphRejection(GraphItemKind.Entry, 0, 0, "bad mac"),
        ], refused);
        Assert.Equal(["vm1"], g.Modules[0].Ports.Select(p => p.Name));
        Assert.Equal(["ls-ls1:vm1"], g.Links.Select(l => l.From));
        Assert.Equal(["rules"], g.Entries.Select(e => e.Table));
        Assert.Equal(3, refused.Count);
        Assert.Contains(refused, r => r.Reason == "Hover refused the link fw-vm1:inside - netdev:tap1: no interface 'tap1'");
    }

    private static DesiredGraph Remove(IReadOnlyList<GraphRejection> rejections, List<UntranslatedRow> refused) =>
        (DesiredGraph)typeof(OvnBridgeService).Assembly.GetType("IoVisor.OvnBridge.Service.RejectedItems")!
            .GetMethod("Remove")!.Invoke(null, [Graph, rejections, refused])!;
}
