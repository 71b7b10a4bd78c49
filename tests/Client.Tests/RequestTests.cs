using System.Net;
using System.Text.Json.Nodes;
using IoVisor.Hover.Client;

namespace IoVisor.Client.Tests;

/// <summary>The client sends what the API expects and reads what it answers.</summary>
public sealed class RequestTests
{
    private const string Module = """
        {"name":"br1","type":"bridge","hook":"xdp","index":3,"config":{"agingSeconds":300},
         "ports":[{"name":"p1","index":0,"config":{"mode":"access","vlan":1},"peer":"netdev:veth1"}]}
        """;

    [Fact]
    public async Task Create_module_posts_camelCase_json_without_the_unset_fields()
    {
        var stub = StubHandler.Always(HttpStatusCode.Created, Module);
        using var api = HoverClient.Create(StubHandler.BaseAddress, stub);

        var module = await api.CreateModuleAsync(new ModuleCreateRequest("br1", "bridge", Config: new JsonObject { ["agingSeconds"] = 300 }));

        var sent = Assert.Single(stub.Sent);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/modules", sent.PathAndQuery);
        Assert.Equal("application/json", sent.MediaType);
        Assert.Equal("""{"name":"br1","type":"bridge","config":{"agingSeconds":300}}""", sent.Body);
        Assert.Equal("xdp", module.Hook);
        Assert.Equal(3, module.Index);
        Assert.Equal(300, module.Config["agingSeconds"]!.GetValue<int>());
        Assert.Equal("netdev:veth1", Assert.Single(module.Ports).Peer);
    }

    [Fact]
    public async Task Entry_keys_are_escaped_into_the_path()
    {
        var stub = new StubHandler(_ => StubHandler.NoContent());
        using var api = HoverClient.Create(StubHandler.BaseAddress, stub);

        await api.DeleteEntryAsync("br1", "fdb", "02:00:00:00:00:01@10");

        var path = Assert.Single(stub.Sent).PathAndQuery;
        Assert.Equal("/modules/br1/tables/fdb/entries/02%3A00%3A00%3A00%3A00%3A01%4010", path);
    }

    [Fact]
    public async Task A_slash_in_a_key_stays_inside_its_path_segment()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, """{"key":"10.1.0.0/16"}""");
        using var api = HoverClient.Create(StubHandler.BaseAddress, stub);

        await api.GetEntryAsync("r1", "routes", "10.1.0.0/16");

        Assert.Equal("/modules/r1/tables/routes/entries/10.1.0.0%2F16", Assert.Single(stub.Sent).PathAndQuery);
    }

    [Fact]
    public async Task Put_entry_sends_the_entry_as_is()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, """{"key":"02:00:00:00:00:01@1","mac":"02:00:00:00:00:01","vlan":1,"port":"p1","static":true}""");
        using var api = HoverClient.Create(StubHandler.BaseAddress, stub);

        var entry = await api.PutEntryAsync("br1", "fdb", "02:00:00:00:00:01@1",
            new JsonObject { ["mac"] = "02:00:00:00:00:01", ["vlan"] = 1, ["port"] = "p1" });

        var sent = Assert.Single(stub.Sent);
        Assert.Equal("PUT", sent.Method);
        Assert.Equal("""{"mac":"02:00:00:00:00:01","vlan":1,"port":"p1"}""", sent.Body);
        Assert.True(entry["static"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Trace_passes_filter_and_limit_in_the_query()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, "", "text/event-stream");
        using var api = HoverClient.Create(StubHandler.BaseAddress, stub);

        await using var stream = await api.OpenTraceAsync("ip.dst == 10.0.0.2", 5);

        Assert.Equal("/trace?filter=ip.dst+%3D%3D+10.0.0.2&limit=5", Assert.Single(stub.Sent).PathAndQuery);
    }

    [Fact]
    public async Task Trace_without_filter_sends_no_query()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, "", "text/event-stream");
        using var api = HoverClient.Create(StubHandler.BaseAddress, stub);

        await using var stream = await api.OpenTraceAsync();

        Assert.Equal("/trace", Assert.Single(stub.Sent).PathAndQuery);
    }

    [Fact]
    public async Task A_base_address_with_a_path_keeps_it()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, "[]");
        using var api = HoverClient.Create(new Uri("http://proxy.test/hover"), stub);

        await api.ListLinksAsync();

        Assert.Equal("/hover/links", Assert.Single(stub.Sent).PathAndQuery);
    }

    [Fact]
    public async Task Apply_chain_sends_the_spec_and_reads_the_changes()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, """
            {"name":"lab","changes":[{"action":"create","kind":"module","id":"br1"},{"action":"delete","kind":"link","id":"l7"}]}
            """);
        using var api = HoverClient.Create(StubHandler.BaseAddress, stub);
        var spec = new ChainSpec
        {
            Name = "lab",
            Modules = [new ChainModuleSpec { Name = "br1", Type = "bridge", Ports = [new ChainPortSpec { Name = "p1" }] }],
            Links = [new ChainLinkSpec { From = "br1:p1", To = "netdev:veth-a" }],
        };

        var result = await api.ApplyChainAsync(spec);

        var sent = Assert.Single(stub.Sent);
        Assert.Equal("POST /chains", $"{sent.Method} {sent.PathAndQuery}");
        Assert.Equal(
            """{"name":"lab","modules":[{"name":"br1","type":"bridge","ports":[{"name":"p1"}]}],"links":[{"from":"br1:p1","to":"netdev:veth-a"}],"entries":[]}""",
            sent.Body);
        Assert.Equal([new ChainChange("create", "module", "br1"), new ChainChange("delete", "link", "l7")], result.Changes);
    }

    [Fact]
    public async Task Metrics_come_back_as_text()
    {
        const string exposition = "# TYPE hover_rx_packets_total counter\nhover_rx_packets_total{module=\"br1\",port=\"p1\"} 42\n";
        using var api = HoverClient.Create(StubHandler.BaseAddress, StubHandler.Always(HttpStatusCode.OK, exposition, "text/plain"));

        Assert.Equal(exposition, await api.GetMetricsAsync());
    }
}
