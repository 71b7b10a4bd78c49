using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.Hover.Graph;
using IoVisor.Hover.State;
using IoVisor.IoModules;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.Tests;

public sealed class StateStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"hover-state-{Guid.NewGuid():N}");

    private StateStore Store() => new(Options.Create(new HoverOptions { StateDir = _dir }));

    [Fact]
    public void A_missing_state_file_is_an_empty_graph()
    {
        var state = Store().Load();
        Assert.Empty(state.Modules);
        Assert.Empty(state.Links);
    }

    [Fact]
    public void Saved_state_loads_back_whole()
    {
        var ports = ImmutableSortedDictionary.Create<string, PortState>(StringComparer.Ordinal)
            .Add("p1", new PortState("p1", 0, new JsonObject { ["mode"] = "access", ["vlan"] = 10 }));
        var entries = ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, JsonObject>>(StringComparer.Ordinal)
            .Add("fdb", ImmutableSortedDictionary.Create<string, JsonObject>(StringComparer.Ordinal)
                .Add("02:00:00:00:00:01@1", new JsonObject { ["mac"] = "02:00:00:00:00:01", ["port"] = "p1" }));
        var module = new ModuleState("br1", "bridge", HookKind.Xdp, 3, new JsonObject { ["agingSeconds"] = 60 }, ports, entries);
        Assert.True(LinkEnd.TryParse("br1:p1", out var from));
        Assert.True(LinkEnd.TryParse("netdev:veth0", out var to));
        var state = GraphState.Empty.WithModule(module) with
        {
            Links = GraphState.Empty.Links.Add("l7", new LinkState("l7", from, to)),
            NextLinkId = 8,
        };

        Store().Save(state);
        var loaded = Store().Load();

        var m = Assert.Single(loaded.Modules.Values);
        Assert.Equal(("br1", "bridge", HookKind.Xdp, 3), (m.Name, m.Type, m.Hook, m.Index));
        Assert.Equal(60, m.Config["agingSeconds"]!.GetValue<int>());
        Assert.Equal(10, m.Ports["p1"].Config["vlan"]!.GetValue<int>());
        Assert.Equal("p1", m.Entries["fdb"]["02:00:00:00:00:01@1"]["port"]!.GetValue<string>());
        var link = Assert.Single(loaded.Links.Values);
        Assert.Equal(("l7", "br1:p1", "netdev:veth0"), (link.Id, link.From.ToString(), link.To.ToString()));
        Assert.Equal(8, loaded.NextLinkId);
        Assert.False(File.Exists(Path.Combine(_dir, "graph.json.tmp")), "the temporary file must be renamed away");
    }

    [Fact]
    public void A_store_that_saves_again_writes_what_changed_and_keeps_the_rest()
    {
        var store = Store();
        var kept = new ModuleState("br1", "bridge", HookKind.Tc, 1, new JsonObject { ["agingSeconds"] = 60 },
            ImmutableSortedDictionary.Create<string, PortState>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, JsonObject>>(StringComparer.Ordinal));
        var changed = kept with { Name = "br2", Index = 2 };
        var state = GraphState.Empty.WithModule(kept).WithModule(changed);
        store.Save(state);

        store.Save(state.WithModule(changed with { Config = new JsonObject { ["agingSeconds"] = 30 } }));
        var loaded = Store().Load();

        Assert.Equal(60, loaded.Modules["br1"].Config["agingSeconds"]!.GetValue<int>());
        Assert.Equal(30, loaded.Modules["br2"].Config["agingSeconds"]!.GetValue<int>());
    }

    [Fact]
    public void A_file_written_before_chains_existed_loads_with_no_chains()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "graph.json"), """{"version": 1, "nextLinkId": 4, "modules": [], "links": []}""");
        var state = Store().Load();
        Assert.Empty(state.Chains);
        Assert.Equal(4, state.NextLinkId);
    }

    [Fact]
    public void A_chain_loads_back_as_applied()
    {
        var chain = ChainSpecs.Normalize("""
            {"name":"c1","modules":[{"name":"br1","type":"bridge","hook":"xdp","ports":[{"name":"p1","config":{"mode":"trunk","vlans":[10]}}]}],
             "links":[{"from":"netdev:veth0","to":"br1:p1"}],
             "entries":[{"module":"br1","table":"fdb","entry":{"mac":"02:00:00:00:00:01","vlan":10,"port":"p1"}}]}
            """);
        chain = chain with { Entries = [chain.Entries[0] with { AppliedKey = "02:00:00:00:00:01@10" }] };

        Store().Save(GraphState.Empty with { Chains = GraphState.Empty.Chains.Add(chain.Name, chain) });
        var loaded = Store().Load();

        Assert.True(chain.Matches(loaded.Chains["c1"]), "the chain changed on its way through graph.json");
    }

    [Fact]
    public void An_unknown_format_version_is_refused_not_guessed()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "graph.json"), """{"version": 99, "modules": [], "links": [], "nextLinkId": 1}""");
        Assert.Throws<InvalidDataException>(() => Store().Load());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
