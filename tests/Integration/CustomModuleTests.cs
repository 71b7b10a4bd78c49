using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using IoVisor.Integration.Tests.Harness;
using Xunit;

namespace IoVisor.Integration.Tests;

/// <summary>
/// User-supplied modules: the README's per-source counter, uploaded as source (compiled by hoverd) and as an
/// object (compiled here), chained between a bridge and a netdev with real pings through it; its map read back
/// as a table in hex and in BTF-described JSON. A program the verifier refuses, one that does not compile and
/// other bad input change nothing; a restart loads the stored object without compiling; a new program is a
/// reload that keeps ports and links.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class CustomModuleTests
{
    private const string Compiled = "Compiled a custom module";

    [Theory]
    [InlineData("tc", "source")]
    [InlineData("xdp", "source")]
    [InlineData("tc", "object")]
    [InlineData("xdp", "object")]
    public async Task Example_module_counts_sources_between_a_bridge_and_a_netdev(string hook, string form)
    {
        await using var bed = await TestBed.StartAsync();
        var config = form == "source"
            ? CustomModuleSources.SourceConfig(CustomModuleSources.Example)
            : CustomModuleSources.ObjectConfig(await CustomModuleSources.CompileAsync(CustomModuleSources.Example, hook));
        var t = await CustomTopology.BuildAsync(bed, hook, 91, config);

        var ping = await t.A.Namespace.ExecAsync("ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", t.B.Ip);
        Assert.True(ping.Succeeded, $"{hook}/{form}: {ping.Describe()}\n--- hoverd ---\n{bed.Hover.Output}");

        var tables = (await bed.Http.GetJsonAsync($"modules/{CustomTopology.Module}/tables")).AsArray();
        Assert.Equal(["src_count"], tables.Select(x => (string?)x?["name"]));
        var entries = (await bed.Http.GetJsonAsync($"modules/{CustomTopology.Module}/tables/src_count/entries")).AsArray();
        var key = HexOf(t.A.Ip);
        var entry = entries.SingleOrDefault(e => (string?)e?["key"] == key)
            ?? throw new InvalidOperationException($"no entry for {t.A.Ip} ({key}): {entries.ToJsonString()}");
        Assert.True(BinaryPrimitives.ReadUInt64LittleEndian(Convert.FromHexString((string)entry["value"]!)) >= 5, entry.ToJsonString());
        Assert.Equal(KeyJsonOf(t.A.Ip), (uint?)entry["keyJson"]);
        Assert.True((ulong?)entry["valueJson"] >= 5, entry.ToJsonString());
        Assert.Contains(entries, e => (string?)e?["key"] == HexOf(t.B.Ip));

        var single = await bed.Http.GetJsonAsync($"modules/{CustomTopology.Module}/tables/src_count/entries/{key}");
        Assert.Equal(key, (string?)single["key"]);
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task A_program_the_verifier_refuses_answers_422_with_its_log_and_changes_nothing(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateModuleAsync("c1", "custom", hook, CustomModuleSources.SourceConfig(CustomModuleSources.Example));
        var before = await bed.Http.SnapshotGraphAsync();
        var objectsBefore = StoredObjects(bed);

        var create = await bed.Http.SendAsync(HttpMethod.Post, "modules", new JsonObject
        {
            ["name"] = "c2",
            ["type"] = "custom",
            ["hook"] = hook,
            ["config"] = CustomModuleSources.SourceConfig(CustomModuleSources.UncheckedPacketRead),
        });
        var patch = await bed.Http.SendAsync(HttpMethod.Patch, "modules/c1",
            new JsonObject { ["config"] = CustomModuleSources.SourceConfig(CustomModuleSources.UncheckedPacketRead) });

        foreach (var response in new[] { create, patch })
        {
            response.Expect(HttpStatusCode.UnprocessableEntity);
            var log = (string?)response.Json?["verifierLog"];
            Assert.False(string.IsNullOrWhiteSpace(log), response.Describe());
            Assert.Contains("invalid access to packet", log, StringComparison.Ordinal);
            Assert.Contains("module.c:6", log, StringComparison.Ordinal);
        }
        Assert.Equal(before.ToJsonString(), (await bed.Http.SnapshotGraphAsync()).ToJsonString());
        Assert.False(Directory.Exists(Path.Combine(bed.Hover.BpffsDir, "modules", "c2")), "the refused module left pins");
        Assert.Equal(objectsBefore, StoredObjects(bed));
        Assert.Equal(["src_count"], (await bed.Http.GetJsonAsync("modules/c1/tables")).AsArray().Select(x => (string?)x?["name"]));
    }

    [Fact]
    public async Task A_compile_error_answers_400_naming_config_source_with_clangs_message()
    {
        await using var bed = await TestBed.StartAsync();
        var response = await bed.Http.SendAsync(HttpMethod.Post, "modules", new JsonObject
        {
            ["name"] = "c1",
            ["type"] = "custom",
            ["config"] = CustomModuleSources.SourceConfig(CustomModuleSources.SyntaxError),
        });

        response.ExpectProblem(HttpStatusCode.BadRequest, "config.source");
        var message = (string?)response.Json?["errors"]?["config.source"]?[0];
        Assert.Contains("module.c:4:", message, StringComparison.Ordinal);
        Assert.Contains("error: expected ';'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("/bpf/include", message, StringComparison.Ordinal);
        Assert.Empty((await bed.Http.GetJsonAsync("modules")).AsArray());
        Assert.Empty(StoredObjects(bed));
    }

    [Fact]
    public async Task Bad_custom_input_is_refused_and_changes_nothing()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateModuleAsync("c1", "custom", "tc", CustomModuleSources.SourceConfig(CustomModuleSources.Example));
        await bed.Http.AddPortAsync("c1", "in");
        var xdpObject = await CustomModuleSources.CompileAsync(CustomModuleSources.Example, "xdp");
        var before = await bed.Http.SnapshotGraphAsync();
        var objectsBefore = StoredObjects(bed);

        static JsonObject Module(JsonObject config) => new() { ["name"] = "c2", ["type"] = "custom", ["hook"] = "tc", ["config"] = config };
        var cases = new (string Path, HttpMethod Method, JsonNode Body, string Field)[]
        {
            ("modules", HttpMethod.Post, Module(new JsonObject()), "config.source"),
            ("modules", HttpMethod.Post, Module(new JsonObject { ["source"] = CustomModuleSources.Example, ["object"] = "f0VMRg==" }), "config.object"),
            ("modules", HttpMethod.Post, Module(new JsonObject { ["source"] = CustomModuleSources.Example, ["optimize"] = true }), "config.optimize"),
            ("modules", HttpMethod.Post, Module(new JsonObject { ["source"] = new string('x', 256 * 1024 + 1) }), "config.source"),
            ("modules", HttpMethod.Post, Module(CustomModuleSources.SourceConfig(CustomModuleSources.WithoutHoverRx)), "config.source"),
            ("modules", HttpMethod.Post, Module(new JsonObject { ["object"] = "not base64!" }), "config.object"),
            ("modules", HttpMethod.Post, Module(new JsonObject { ["object"] = Convert.ToBase64String("hello"u8.ToArray()) }), "config.object"),
            ("modules", HttpMethod.Post, Module(new JsonObject { ["object"] = Convert.ToBase64String([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1]) }), "config.object"),
            ("modules", HttpMethod.Post, Module(CustomModuleSources.ObjectConfig(xdpObject)), "config.object"),
            ("modules/c1", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["object"] = Convert.ToBase64String(xdpObject) } }, "config.object"),
            ("modules/c1/ports", HttpMethod.Post, new JsonObject { ["name"] = "out", ["config"] = new JsonObject { ["vlan"] = 1 } }, "config.vlan"),
            ("modules/c1/tables/src_count/entries", HttpMethod.Post, new JsonObject { ["key"] = "0a0000", ["value"] = "0100000000000000" }, "key"),
            ("modules/c1/tables/src_count/entries", HttpMethod.Post, new JsonObject { ["key"] = "0a000001", ["value"] = "01" }, "value"),
            ("modules/c1/tables/src_count/entries", HttpMethod.Post, new JsonObject { ["keyJson"] = 16777226, ["valueJson"] = 1 }, "key"),
            ("modules/c1/tables/src_count/entries", HttpMethod.Post, new JsonObject { ["key"] = "0a000001", ["values"] = new JsonArray("01") }, "values"),
            ("modules/c1/tables/src_count/entries/0a000002", HttpMethod.Put, new JsonObject { ["key"] = "0a000001", ["value"] = "0100000000000000" }, "key"),
        };
        foreach (var (path, method, body, field) in cases)
        {
            (await bed.Http.SendAsync(method, path, body)).ExpectProblem(HttpStatusCode.BadRequest, field);
        }
        Assert.Equal(before.ToJsonString(), (await bed.Http.SnapshotGraphAsync()).ToJsonString());
        Assert.Equal(objectsBefore, StoredObjects(bed));
        Assert.Empty((await bed.Http.GetJsonAsync("modules/c1/tables/src_count/entries")).AsArray());
    }

    [Fact]
    public async Task Map_entries_are_written_read_deleted_and_flushed_in_hex()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateModuleAsync("c1", "custom", "tc", CustomModuleSources.SourceConfig(CustomModuleSources.Example));
        const string Entries = "modules/c1/tables/src_count/entries";

        var written = await bed.Http.CreateAsync(Entries, new JsonObject { ["key"] = "0A000001", ["value"] = "2a00000000000000" });
        Assert.Equal("0a000001", (string?)written["key"]);
        Assert.Equal(42UL, (ulong?)written["valueJson"]);
        (await bed.Http.SendAsync(HttpMethod.Put, $"{Entries}/0a000002", new JsonObject { ["value"] = "0700000000000000" })).Expect(HttpStatusCode.OK);
        Assert.Equal(7UL, (ulong?)(await bed.Http.GetJsonAsync($"{Entries}/0a000002"))["valueJson"]);
        Assert.Equal(2, (await bed.Http.GetJsonAsync(Entries)).AsArray().Count);

        (await bed.Http.SendAsync(HttpMethod.Delete, $"{Entries}/0a000001")).Expect(HttpStatusCode.NoContent);
        (await bed.Http.SendAsync(HttpMethod.Get, $"{Entries}/0a000001")).Expect(HttpStatusCode.NotFound);
        Assert.Equal(1, (int?)(await bed.Http.SendAsync(HttpMethod.Delete, Entries)).Expect(HttpStatusCode.OK).Json?["removed"]);
        Assert.Empty((await bed.Http.GetJsonAsync(Entries)).AsArray());
    }

    [Fact]
    public async Task Per_cpu_array_entries_have_a_value_per_cpu_and_zero_on_delete()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateModuleAsync("c1", "custom", "tc", CustomModuleSources.SourceConfig(CustomModuleSources.PerPortCounters));
        const string Entries = "modules/c1/tables/port_counts/entries";
        var all = (await bed.Http.GetJsonAsync(Entries)).AsArray();
        Assert.Equal(["00000000", "01000000", "02000000", "03000000"], all.Select(e => (string?)e?["key"]));
        var cpus = all[0]!["values"]!.AsArray().Count;
        Assert.True(cpus >= 1, all.ToJsonString());

        var written = await bed.Http.CreateAsync(Entries, new JsonObject { ["key"] = "02000000", ["value"] = "0300000000000000" + "4000000000000000" });
        var expected = JsonNode.Parse("""{"packets":3,"bytes":64}""");
        Assert.Equal(cpus, written["valuesJson"]!.AsArray().Count);
        Assert.All(written["valuesJson"]!.AsArray(), v => Assert.True(JsonNode.DeepEquals(expected, v), v?.ToJsonString()));

        string PacketsOnCpu(int cpu) => $"{cpu + 1:x2}00000000000000" + new string('0', 16);
        var perCpu = new JsonArray(Enumerable.Range(0, cpus).Select(cpu => (JsonNode?)PacketsOnCpu(cpu)).ToArray());
        var replaced = (await bed.Http.SendAsync(HttpMethod.Put, $"{Entries}/02000000", new JsonObject { ["values"] = perCpu }))
            .Expect(HttpStatusCode.OK).Json!;
        Assert.Equal((ulong)cpus, (ulong?)replaced["valuesJson"]![cpus - 1]!["packets"]);
        var oneTooMany = new JsonArray(Enumerable.Range(0, cpus + 1).Select(cpu => (JsonNode?)PacketsOnCpu(cpu)).ToArray());
        (await bed.Http.SendAsync(HttpMethod.Put, $"{Entries}/02000000", new JsonObject { ["values"] = oneTooMany }))
            .ExpectProblem(HttpStatusCode.BadRequest, "values");

        (await bed.Http.SendAsync(HttpMethod.Delete, $"{Entries}/02000000")).Expect(HttpStatusCode.NoContent);
        Assert.All((await bed.Http.GetJsonAsync($"{Entries}/02000000"))["values"]!.AsArray(), v => Assert.Equal(new string('0', 32), (string?)v));
        (await bed.Http.SendAsync(HttpMethod.Get, $"{Entries}/04000000")).Expect(HttpStatusCode.NotFound);
        Assert.Equal(4, (int?)(await bed.Http.SendAsync(HttpMethod.Delete, Entries)).Expect(HttpStatusCode.OK).Json?["removed"]);
    }

    [Fact]
    public async Task A_source_cannot_include_a_file_only_root_may_read()
    {
        await using var bed = await TestBed.StartAsync();
        var response = await bed.Http.SendAsync(HttpMethod.Post, "modules", new JsonObject
        {
            ["name"] = "c1",
            ["type"] = "custom",
            ["config"] = CustomModuleSources.SourceConfig(CustomModuleSources.IncludesShadow),
        });

        response.ExpectProblem(HttpStatusCode.BadRequest, "config.source");
        Assert.Contains("Permission denied", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_loads_the_stored_object_without_compiling_and_traffic_keeps_counting()
    {
        await using var bed = await TestBed.StartAsync();
        var t = await CustomTopology.BuildAsync(bed, "tc", 92, CustomModuleSources.SourceConfig(CustomModuleSources.Example));
        Assert.True((await t.A.PingAsync(t.B, count: 3)).Succeeded, bed.Hover.Output);
        var objects = StoredObjects(bed);
        var written = objects.ToDictionary(f => f, f => File.GetLastWriteTimeUtc(Path.Combine(ObjectsDir(bed), f)));
        var counted = await CountOfAsync(bed, t.A);

        await bed.Hover.RestartAsync();

        Assert.Equal(objects, StoredObjects(bed));
        Assert.All(written, w => Assert.Equal(w.Value, File.GetLastWriteTimeUtc(Path.Combine(ObjectsDir(bed), w.Key))));
        Assert.Equal(1, CountOf(bed.Hover.Output, Compiled));
        Assert.True(await CountOfAsync(bed, t.A) >= counted, "the map lost its counts across the restart");
        var ping = await t.A.PingAsync(t.B, count: 3);
        Assert.True(ping.Succeeded, $"{ping.Describe()}\n--- hoverd ---\n{bed.Hover.Output}");
        Assert.True(await CountOfAsync(bed, t.A) >= counted + 3, "the reloaded module does not count");
    }

    [Fact]
    public async Task A_new_program_reloads_the_module_and_keeps_its_ports_and_links()
    {
        await using var bed = await TestBed.StartAsync();
        var t = await CustomTopology.BuildAsync(bed, "tc", 93, CustomModuleSources.SourceConfig(CustomModuleSources.Example));
        Assert.True((await t.A.PingAsync(t.B)).Succeeded, bed.Hover.Output);
        var links = (await bed.Http.GetJsonAsync("links")).ToJsonString();
        var ports = (await bed.Http.GetJsonAsync("modules/c1"))["ports"]!.ToJsonString();

        (await bed.Http.SendAsync(HttpMethod.Patch, "modules/c1",
            new JsonObject { ["config"] = CustomModuleSources.SourceConfig(CustomModuleSources.DestinationCounter) })).Expect(HttpStatusCode.OK);

        Assert.Equal(links, (await bed.Http.GetJsonAsync("links")).ToJsonString());
        Assert.Equal(ports, (await bed.Http.GetJsonAsync("modules/c1"))["ports"]!.ToJsonString());
        Assert.Equal(["dst_count"], (await bed.Http.GetJsonAsync("modules/c1/tables")).AsArray().Select(x => (string?)x?["name"]));
        var ping = await t.A.PingAsync(t.B, count: 3);
        Assert.True(ping.Succeeded, $"{ping.Describe()}\n--- hoverd ---\n{bed.Hover.Output}");
        var entries = (await bed.Http.GetJsonAsync("modules/c1/tables/dst_count/entries")).AsArray();
        Assert.Contains(entries, e => (string?)e?["key"] == HexOf(t.B.Ip));
        Assert.Single(StoredObjects(bed));
        Assert.Equal(["dst_count", "hover_rx"], Directory.GetFileSystemEntries(Path.Combine(bed.Hover.BpffsDir, "modules", "c1"))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_chain_carries_a_custom_module_and_a_new_program_in_it_is_a_reload()
    {
        await using var bed = await TestBed.StartAsync();
        var a = await bed.AddHostAsync("10.94.0.1/24");
        var b = await bed.AddHostAsync("10.94.0.2/24");
        JsonObject Spec(JsonObject config) => new()
        {
            ["name"] = "lab",
            ["modules"] = new JsonArray(new JsonObject
            {
                ["name"] = "c1",
                ["type"] = "custom",
                ["hook"] = "xdp",
                ["config"] = config,
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "a" }, new JsonObject { ["name"] = "b" }),
            }),
            ["links"] = new JsonArray(ChainJson.Link("c1:a", a.Veth.NetdevRef), ChainJson.Link("c1:b", b.Veth.NetdevRef)),
            ["entries"] = new JsonArray(),
        };

        (await bed.Http.SendAsync(HttpMethod.Post, "chains", Spec(CustomModuleSources.SourceConfig(CustomModuleSources.Example)))).Expect(HttpStatusCode.OK);
        var ping = await a.PingAsync(b, count: 3);
        Assert.True(ping.Succeeded, $"{ping.Describe()}\n--- hoverd ---\n{bed.Hover.Output}");

        var bad = await bed.Http.SendAsync(HttpMethod.Post, "chains", Spec(CustomModuleSources.SourceConfig(CustomModuleSources.SyntaxError)));
        bad.ExpectProblem(HttpStatusCode.BadRequest, "modules[0].config.source");
        var refused = await bed.Http.SendAsync(HttpMethod.Post, "chains", Spec(CustomModuleSources.SourceConfig(CustomModuleSources.UncheckedPacketRead)));
        refused.Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["src_count"], (await bed.Http.GetJsonAsync("modules/c1/tables")).AsArray().Select(x => (string?)x?["name"]));

        var reloaded = await bed.Http.SendAsync(HttpMethod.Post, "chains", Spec(CustomModuleSources.SourceConfig(CustomModuleSources.DestinationCounter)));
        Assert.Equal(["update module c1"], ChainJson.Changes(reloaded.Expect(HttpStatusCode.OK)));
        Assert.Equal(["dst_count"], (await bed.Http.GetJsonAsync("modules/c1/tables")).AsArray().Select(x => (string?)x?["name"]));
        ping = await a.PingAsync(b, count: 3);
        Assert.True(ping.Succeeded, $"after the reload: {ping.Describe()}\n--- hoverd ---\n{bed.Hover.Output}");
        Assert.Contains((await bed.Http.GetJsonAsync("modules/c1/tables/dst_count/entries")).AsArray(), e => (string?)e?["key"] == HexOf(b.Ip));
        Assert.Single(StoredObjects(bed));
    }

    /// <summary>An IPv4 address as the map keys it: its four bytes in network order, as hex.</summary>
    private static string HexOf(string ip) => Convert.ToHexStringLower(IPAddress.Parse(ip).GetAddressBytes());

    /// <summary>What BTF makes of a __be32 key: the number its bytes are on this (little-endian) machine.</summary>
    private static uint KeyJsonOf(string ip) => BinaryPrimitives.ReadUInt32LittleEndian(IPAddress.Parse(ip).GetAddressBytes());

    private static async Task<ulong> CountOfAsync(TestBed bed, Host host) =>
        (ulong?)(await bed.Http.GetJsonAsync($"modules/c1/tables/src_count/entries/{HexOf(host.Ip)}"))["valueJson"] ?? 0;

    private static string ObjectsDir(TestBed bed) => Path.Combine(bed.Hover.StateDir, "objects");

    private static List<string> StoredObjects(TestBed bed) => Directory.Exists(ObjectsDir(bed))
        ? Directory.GetFiles(ObjectsDir(bed)).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList()
        : [];

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
