using IoVisor.Hover.Graph;
using IoVisor.IoModules;
using static IoVisor.Hover.Tests.ChainSpecs;

namespace IoVisor.Hover.Tests;

public sealed class ChainSpecNormalizerTests
{
    [Fact]
    public void Defaults_are_filled_in_and_links_put_the_module_end_first()
    {
        var chain = Normalize("""
            {"name":"c1","modules":[{"name":"br1","type":"bridge","ports":[{"name":"p1"}]}],
             "links":[{"from":"netdev:lo","to":"br1:p1"}]}
            """);

        var module = Assert.Single(chain.Modules);
        Assert.Equal((HookKind.Tc, 300L), (module.Hook, module.Config["agingSeconds"]!.GetValue<long>()));
        Assert.Equal("access", module.Ports[0].Config["mode"]!.GetValue<string>());
        var link = Assert.Single(chain.Links);
        Assert.Equal(("br1:p1", "netdev:lo"), (link.From.ToString(), link.To.ToString()));
    }

    [Fact]
    public void Every_error_of_the_spec_is_named_by_its_json_path_at_once()
    {
        var e = Rejected(() => Normalize("""
            {"name":"bad name!",
             "modules":[
               {"name":"br1","type":"bridge","ports":[{"name":"p1"}]},
               {"name":"br2","type":"bridge","hook":"kprobe","config":{"agingSeconds":-1},
                "ports":[{"name":"q1","config":{"mode":"access","vlan":5000}},{"name":"q1"}]},
               {"name":"br1","type":"teleporter"}],
             "links":[{"from":"br1:p1","to":"netdev:lo"},{"from":"br1:p9","to":"netdev:lo"},{"from":"br1:p1","to":"br3:x"},{"from":"netdev:a","to":"netdev:b"}],
             "entries":[{"module":"nosuch","table":"fdb","entry":{}},{"module":"br1","table":"nope","entry":{}},{"module":"br1","table":"fdb"}]}
            """));

        Assert.Equal(
        [
            "name",
            "modules[1].hook", "modules[1].config.agingSeconds", "modules[1].ports[0].config.vlan", "modules[1].ports[1].name",
            "modules[2].type", "modules[2].name",
            "links[1].from", "links[2].to", "links[3].to",
            "entries[0].module", "entries[1].table", "entries[2].entry",
        ], Fields(e));
    }

    [Fact]
    public void A_port_or_netdev_used_by_two_links_is_refused()
    {
        var e = Rejected(() => Normalize("""
            {"name":"c1","modules":[{"name":"br1","type":"bridge","ports":[{"name":"p1"},{"name":"p2"}]}],
             "links":[{"from":"br1:p1","to":"netdev:lo"},{"from":"br1:p1","to":"br1:p2"},{"from":"br1:p2","to":"netdev:lo"}]}
            """));
        Assert.Equal(["links[1].from", "links[2].to"], Fields(e));
    }

    [Fact]
    public void Modules_on_different_hooks_cannot_be_linked()
    {
        var e = Rejected(() => Normalize("""
            {"name":"c1","modules":[{"name":"a","type":"bridge","hook":"tc","ports":[{"name":"p1"}]},
                                    {"name":"b","type":"bridge","hook":"xdp","ports":[{"name":"p1"}]}],
             "links":[{"from":"a:p1","to":"b:p1"}]}
            """));
        Assert.Equal(["links[0].to"], Fields(e));
    }

    [Fact]
    public void A_missing_body_is_refused() =>
        Assert.Equal(["body"], Fields(Rejected(() => ChainSpecNormalizer.Normalize(null, Types))));

    [Fact]
    public void Too_many_ports_name_the_port_list()
    {
        var ports = string.Join(",", Enumerable.Range(0, 65).Select(i => $$"""{"name":"p{{i}}"}"""));
        var e = Rejected(() => Normalize($$"""{"name":"c1","modules":[{"name":"br1","type":"bridge","ports":[{{ports}}]}]}"""));
        Assert.Equal(["modules[0].ports"], Fields(e));
    }
}
