using System.Text.Json.Nodes;
using IoVisor.Hover.Graph;
using IoVisor.IoModules;
using static IoVisor.Hover.Tests.ChainSpecs;

namespace IoVisor.Hover.Tests;

public sealed class ChainPlannerTests
{
    private const string TwoBridges = """
        {"name":"c1",
         "modules":[{"name":"br1","type":"bridge","ports":[{"name":"p1"},{"name":"p2"}]},
                    {"name":"br2","type":"bridge","ports":[{"name":"p1"}]}],
         "links":[{"from":"br1:p1","to":"netdev:lo"},{"from":"br1:p2","to":"br2:p1"}],
         "entries":[{"module":"br1","table":"fdb","entry":{"mac":"02:00:00:00:00:01","vlan":1,"port":"p1"}}]}
        """;

    [Fact]
    public void A_new_chain_creates_modules_then_ports_then_entries_then_links()
    {
        var plan = Plan(GraphState.Empty, TwoBridges);

        Assert.Equal(
        [
            "create module br1", "create module br2",
            "create port br1:p1", "create port br1:p2", "create port br2:p1",
            "create entry br1/fdb/entries[0]",
            "create link l1", "create link l2",
        ], Describe(plan));
        Assert.Equal([1, 2], plan.Next.Modules.Values.Select(m => m.Index));
        Assert.Equal(["br1:p1 netdev:lo", "br1:p2 br2:p1"], plan.Next.Links.Values.Select(l => $"{l.From} {l.To}"));
    }

    [Fact]
    public void The_same_spec_again_plans_nothing_and_records_the_same_chain()
    {
        var state = Applied(Plan(GraphState.Empty, TwoBridges));

        var again = Plan(state, TwoBridges);

        Assert.Empty(again.Steps);
        Assert.True(again.Chain.Matches(state.Chains["c1"]), "the applied keys of unchanged entries must carry over");
    }

    [Fact]
    public void A_changed_spec_plans_only_the_difference()
    {
        var state = Applied(Plan(GraphState.Empty, TwoBridges));

        var plan = Plan(state, TwoBridges
            .Replace("""[{"name":"p1"}]}],""", """[{"name":"p1"},{"name":"p2"}]}],""")
            .Replace("""{"from":"br1:p2","to":"br2:p1"}""", """{"from":"br1:p2","to":"br2:p1"},{"from":"br2:p2","to":"netdev:lo"}""")
            .Replace("""{"from":"br1:p1","to":"netdev:lo"},""", ""));

        Assert.Equal(["delete link l1", "create port br2:p2", "create link l3"], Describe(plan));
    }

    [Fact]
    public void Dropped_objects_go_links_first_then_entries_and_ports_then_modules()
    {
        var state = Applied(Plan(GraphState.Empty, TwoBridges));

        var plan = Plan(state, """
            {"name":"c1","modules":[{"name":"br1","type":"bridge","ports":[{"name":"p1"}]}],
             "links":[{"from":"br1:p1","to":"netdev:lo"}]}
            """);

        Assert.Equal(
        [
            "delete link l2",
            "delete entry br1/fdb/02:00:00:00:00:01@1",
            "delete port br1:p2",
            "delete module br2",
        ], Describe(plan));
        Assert.Empty(plan.Next.Modules["br1"].EntriesOf("fdb"));
    }

    [Fact]
    public void A_hook_change_recreates_the_module_with_its_ports_entries_and_links()
    {
        var state = Applied(Plan(GraphState.Empty, TwoBridges));
        var xdp = TwoBridges.Replace("""{"name":"br1","type":"bridge",""", """{"name":"br1","type":"bridge","hook":"xdp",""")
            .Replace("""{"from":"br1:p2","to":"br2:p1"}""", """{"from":"br1:p2","to":"netdev:lo2"}""")
            .Replace("""{"from":"br1:p1","to":"netdev:lo"},""", "");

        var e = Rejected(() => Plan(state, xdp));
        Assert.Equal(["links[0].to"], Fields(e));

        var plan = Plan(state, xdp.Replace("""{"from":"br1:p2","to":"netdev:lo2"}""", """{"from":"br1:p2","to":"netdev:lo"}"""));
        Assert.Equal(
        [
            "delete link l1", "delete link l2",
            "delete module br1",
            "create module br1",
            "create port br1:p1", "create port br1:p2",
            "create entry br1/fdb/entries[0]",
            "create link l3",
        ], Describe(plan));
        Assert.Equal(HookKind.Xdp, plan.Next.Modules["br1"].Hook);
        Assert.Equal(3, plan.Next.Modules["br1"].Index);
    }

    [Fact]
    public void Config_changes_are_updates_in_place()
    {
        var state = Applied(Plan(GraphState.Empty, TwoBridges));

        var plan = Plan(state, TwoBridges
            .Replace("""{"name":"br2","type":"bridge",""", """{"name":"br2","type":"bridge","config":{"agingSeconds":10},""")
            .Replace("""[{"name":"p1"},{"name":"p2"}]""", """[{"name":"p1","config":{"mode":"access","vlan":7}},{"name":"p2"}]""")
            .Replace("\"vlan\":1,\"port\":\"p1\"", "\"vlan\":7,\"port\":\"p1\""));

        Assert.Equal(
        [
            "delete entry br1/fdb/02:00:00:00:00:01@1",
            "update module br2",
            "update port br1:p1",
            "create entry br1/fdb/entries[0]",
        ], Describe(plan));
    }

    [Fact]
    public void Whatever_changed_behind_the_chains_back_is_put_right()
    {
        var state = Applied(Plan(GraphState.Empty, TwoBridges));
        var br2 = state.Modules["br2"];
        state = state.WithModule(br2 with { Config = new JsonObject { ["agingSeconds"] = 5 } }) with { Links = state.Links.Remove("l2") };

        Assert.Equal(["update module br2", "create link l3"], Describe(Plan(state, TwoBridges)));
    }

    [Fact]
    public void A_module_the_chain_does_not_own_is_a_conflict()
    {
        var state = Applied(Plan(GraphState.Empty, TwoBridges));

        var e = Assert.Throws<ConflictException>(() => Plan(state, TwoBridges.Replace("\"c1\"", "\"c2\"")));
        Assert.Equal("modules[0].name", e.Field);

        var manual = GraphState.Empty.WithModule(new ModuleDraft("br2", Types.Get("bridge"), HookKind.Tc, new JsonObject()).At(1));
        Assert.Equal("modules[1].name", Assert.Throws<ConflictException>(() => Plan(manual, TwoBridges)).Field);
    }

    [Fact]
    public void A_link_to_a_netdev_linked_outside_the_chain_is_a_conflict_named_by_its_path()
    {
        var state = Applied(Plan(GraphState.Empty, TwoBridges));

        var plan = () => Plan(state, TwoBridges.Replace("c1", "c2").Replace("br1", "br3").Replace("br2", "br4"));

        Assert.Equal("links[0].to", Assert.Throws<ConflictException>(plan).Field);
    }

    [Fact]
    public void Deleting_a_chain_plans_everything_it_owns_away()
    {
        var state = Applied(Plan(GraphState.Empty, TwoBridges));

        var plan = ChainPlanner.Plan(state, ChainState.Nothing("c1"), Types);

        Assert.Equal(["delete link l1", "delete link l2", "delete module br1", "delete module br2"], Describe(plan));
        Assert.Empty(plan.Next.Modules);
        Assert.Empty(plan.Next.Links);
    }
}
