using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.IoModules.Custom;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.Tests;

public sealed class CustomConfigTests : IDisposable
{
    private const string Source = "#include \"hover.h\"\n";
    private readonly DirectoryInfo _store = Directory.CreateTempSubdirectory("iovisor-custom-store-");
    private readonly CustomModuleType _custom;

    public CustomConfigTests() =>
        _custom = new CustomModuleType(
            Options.Create(new CustomModuleOptions { ObjectStoreDir = _store.FullName, IncludeDir = "/nonexistent", MaxSourceBytes = 64, MaxObjectBytes = 16 }),
            NullLogger<CustomModuleType>.Instance);

    [Fact]
    public void A_source_is_kept_as_given() =>
        Assert.Equal(Source, (string?)_custom.NormalizeConfig(new JsonObject { ["source"] = Source })["source"]);

    [Fact]
    public void An_object_is_kept_in_canonical_base64()
    {
        var elf = "\u007fELF-ish"u8.ToArray();
        var normalized = _custom.NormalizeConfig(new JsonObject { ["object"] = Convert.ToBase64String(elf) });
        Assert.Equal(elf, Convert.FromBase64String((string)normalized["object"]!));
    }

    [Theory]
    [InlineData("""{}""", "config.source")]
    [InlineData("""{"source": "int x;", "object": "f0VMRg=="}""", "config.object")]
    [InlineData("""{"source": "   "}""", "config.source")]
    [InlineData("""{"source": 5}""", "config.source")]
    [InlineData("""{"source": "int x;", "flags": "-O3"}""", "config.flags")]
    [InlineData("""{"object": "***"}""", "config.object")]
    [InlineData("""{"object": "aGVsbG8="}""", "config.object")]
    [InlineData("""{"object": "f0VMRgAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", "config.object")]
    public void Bad_config_names_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => _custom.NormalizeConfig(JsonNode.Parse(json)!.AsObject()));
        Assert.Contains(e.Errors, x => x.Field == field);
    }

    [Fact]
    public void A_source_over_the_limit_is_refused()
    {
        var e = Assert.Throws<ConfigException>(() => _custom.NormalizeConfig(new JsonObject { ["source"] = new string('x', 65) }));
        Assert.Equal("config.source", Assert.Single(e.Errors).Field);
    }

    [Fact]
    public void Ports_take_no_config()
    {
        Assert.Empty(_custom.NormalizePortConfig(null));
        var e = Assert.Throws<ConfigException>(() => _custom.NormalizePortConfig(new JsonObject { ["vlan"] = 1 }));
        Assert.Equal("config.vlan", Assert.Single(e.Errors).Field);
    }

    [Fact]
    public void Objects_are_named_by_content_and_hook()
    {
        var config = _custom.NormalizeConfig(new JsonObject { ["source"] = Source });
        var tc = _custom.ObjectPathFor(config, HookKind.Tc);
        Assert.Equal(tc, _custom.ObjectPathFor(_custom.NormalizeConfig(new JsonObject { ["source"] = Source }), HookKind.Tc));
        Assert.Matches("^[0-9a-f]{64}\\.tc\\.o$", Path.GetFileName(tc));
        Assert.Equal(_store.FullName, Path.GetDirectoryName(tc));
        Assert.EndsWith(".xdp.o", _custom.ObjectPathFor(config, HookKind.Xdp), StringComparison.Ordinal);
        Assert.NotEqual(tc, _custom.ObjectPathFor(_custom.NormalizeConfig(new JsonObject { ["source"] = Source + "\n" }), HookKind.Tc));
    }

    [Fact]
    public void Unused_objects_are_released()
    {
        var kept = _custom.ObjectPathFor(_custom.NormalizeConfig(new JsonObject { ["source"] = Source }), HookKind.Tc);
        var unused = Path.Combine(_store.FullName, new string('0', 64) + ".xdp.o");
        var leftover = $"{unused}.{Guid.NewGuid():N}.tmp";
        var foreign = Path.Combine(_store.FullName, "notes.o");
        foreach (var file in new[] { kept, unused, leftover, foreign })
        {
            File.WriteAllBytes(file, [1]);
        }

        _custom.ReleaseUnused(new HashSet<string> { kept });

        Assert.Equal([Path.GetFileName(kept), "notes.o"], _store.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_readme_shows_the_example_module_as_shipped()
    {
        var example = File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "custom", "src_count.c"));
        Assert.Contains(example.TrimEnd(), File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")), StringComparison.Ordinal);
    }

    public void Dispose() => _store.Delete(recursive: true);
}
