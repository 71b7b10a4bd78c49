using IoVisor.Hover.Client;

namespace IoVisor.Client.Tests;

/// <summary>Chain specs written by people, in YAML or JSON.</summary>
public sealed class ChainSpecFileTests
{
    [Fact]
    public async Task The_two_hosts_example_is_a_bridge_with_two_ports_linked_to_veth_a_and_veth_b()
    {
        var spec = await ChainSpecFile.LoadAsync(RepoPaths.File("examples/two-hosts-bridge.yaml"));

        Assert.Equal("two-hosts", spec.Name);
        var bridge = Assert.Single(spec.Modules);
        Assert.Equal(("br1", "bridge", "tc"), (bridge.Name, bridge.Type, bridge.Hook));
        Assert.Equal(300, bridge.Config!["agingSeconds"]!.GetValue<long>());
        Assert.Equal(["p1", "p2"], bridge.Ports.Select(p => p.Name));
        Assert.Equal([("br1:p1", "netdev:veth-a"), ("br1:p2", "netdev:veth-b")], spec.Links.Select(l => (l.From, l.To)));
        var entry = Assert.Single(spec.Entries);
        Assert.Equal(("br1", "fdb", null), (entry.Module, entry.Table, entry.Key));
        Assert.Equal("02:00:00:00:00:0b", entry.Entry["mac"]!.GetValue<string>());
    }

    [Fact]
    public void Plain_scalars_take_the_type_they_read_as_and_quoted_ones_stay_strings()
    {
        var spec = ChainSpecFile.Parse("""
            name: types
            modules:
              - name: m
                type: custom
                config:
                  vlan: 10
                  quoted: "10"
                  mac: 02:00:00:00:00:01
                  ip: 10.0.0.2
                  enabled: true
                  word: on
                  ratio: 0.5
                  mask: 0xff
                  nothing: ~
                  list: [1, two]
            """, "test");

        var config = spec.Modules[0].Config!;
        Assert.Equal(
            """{"vlan":10,"quoted":"10","mac":"02:00:00:00:00:01","ip":"10.0.0.2","enabled":true,"word":"on","ratio":0.5,"mask":255,"nothing":null,"list":[1,"two"]}""",
            config.ToJsonString());
    }

    [Fact]
    public void Omitted_lists_are_empty()
    {
        var spec = ChainSpecFile.Parse("name: empty\n", "test");

        Assert.Empty(spec.Modules);
        Assert.Empty(spec.Links);
        Assert.Empty(spec.Entries);
    }

    [Fact]
    public void A_number_where_text_is_expected_is_taken_as_text()
    {
        var spec = ChainSpecFile.Parse("name: 2024\nentries:\n  - {module: m, table: t, key: 10, entry: {}}\n", "test");

        Assert.Equal(("2024", "10"), (spec.Name, spec.Entries[0].Key));
    }

    [Fact]
    public void A_value_of_the_wrong_kind_is_an_error_naming_what_was_expected()
    {
        var e = Assert.Throws<FormatException>(() => ChainSpecFile.Parse("name: lab\nmodules:\n  - name: x\n    type: bridge\n    config: [1]\n", "g.yaml"));

        Assert.Equal("g.yaml:5: modules[0].config: expected a mapping", e.Message);
    }

    [Fact]
    public void Json_is_read_as_json()
    {
        var spec = ChainSpecFile.Parse("""
            {
              "name": "lab",
              // comments and trailing commas are forgiven
              "modules": [{"name": "br1", "type": "bridge", "ports": [{"name": "p1"}],}],
              "entries": [{"module": "br1", "table": "fdb", "key": "02:00:00:00:00:01@1", "entry": {"port": "p1"}}]
            }
            """, "lab.json");

        Assert.Equal("p1", spec.Modules[0].Ports[0].Name);
        Assert.Equal("02:00:00:00:00:01@1", spec.Entries[0].Key);
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_the_line_and_the_path()
    {
        var e = Assert.Throws<FormatException>(() => ChainSpecFile.Parse("""
            name: typo
            modules:
              - name: br1
                type: bridge
                prots:
                  - name: p1
            """, "graph.yaml"));

        Assert.Equal("graph.yaml:5: modules[0].prots: unknown key 'prots' (expected one of name, type, hook, config, ports)", e.Message);
    }

    [Fact]
    public void A_missing_required_field_is_an_error()
    {
        var e = Assert.Throws<FormatException>(() => ChainSpecFile.Parse("""
            name: lab
            links:
              - from: br1:p1
            """, "graph.yaml"));

        Assert.Equal("graph.yaml:3: links[0]: missing 'to'", e.Message);
    }

    [Fact]
    public void A_null_where_a_name_is_required_is_an_error()
    {
        var e = Assert.Throws<FormatException>(() => ChainSpecFile.Parse("name: lab\nmodules:\n  - name:\n    type: bridge\n", "graph.yaml"));

        Assert.Equal("graph.yaml:3: modules[0].name: must not be empty", e.Message);
    }

    [Fact]
    public void Broken_yaml_is_an_error_naming_the_line()
    {
        var e = Assert.Throws<FormatException>(() => ChainSpecFile.Parse("name: lab\nmodules:\n  - name: [br1\n", "graph.yaml"));

        Assert.StartsWith("graph.yaml:", e.Message, StringComparison.Ordinal);
        Assert.Contains("not YAML", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_json_is_an_error_naming_the_line()
    {
        var e = Assert.Throws<FormatException>(() => ChainSpecFile.Parse("{\n  \"name\": \"lab\",\n  \"modules\": [\n}\n", "lab.json"));

        Assert.Equal("lab.json:4: not JSON: '}' is an invalid start of a value.", e.Message);
    }

    [Fact]
    public void A_document_that_is_not_a_mapping_is_an_error()
    {
        var e = Assert.Throws<FormatException>(() => ChainSpecFile.Parse("- just\n- a list\n", "graph.yaml"));

        Assert.Equal("graph.yaml:1: expected a mapping with name", e.Message);
    }

    [Fact]
    public void Two_documents_are_an_error()
    {
        Assert.Throws<FormatException>(() => ChainSpecFile.Parse("name: a\n---\nname: b\n", "graph.yaml"));
    }
}
