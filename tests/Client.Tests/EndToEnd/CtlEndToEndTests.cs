using System.Diagnostics;
using System.Text.Json.Nodes;
using IoVisor.Hover.Client;

namespace IoVisor.Client.Tests.EndToEnd;

/// <summary>hoverctl and the typed client driving a real hoverd, as a user would.</summary>
public sealed class CtlEndToEndTests(HoverdFixture fixture) : IClassFixture<HoverdFixture>
{
    private Task<CtlRun> CtlAsync(params string[] args) =>
        CtlRun.RunAsync(["--server", fixture.Hoverd.BaseAddress.ToString(), .. args]);

    [Fact]
    public async Task A_bridge_is_built_inspected_and_torn_down_with_hoverctl()
    {
        var veth = fixture.Veths.A;
        (await CtlAsync("modules", "create", "e2ebr", "--type", "bridge", "--hook", "tc", "--config", """{"agingSeconds":120}""")).Expect(0);
        (await CtlAsync("ports", "add", "e2ebr", "p1")).Expect(0);
        (await CtlAsync("ports", "add", "e2ebr", "p2", "--config", """{"mode":"access","vlan":10}""")).Expect(0);
        var link = (await CtlAsync("-o", "json", "links", "create", "e2ebr:p1", $"netdev:{veth}")).Expect(0);
        var linkId = JsonNode.Parse(link.Stdout)!["id"]!.GetValue<string>();

        var module = (await CtlAsync("modules", "get", "e2ebr")).Expect(0).Stdout;
        Assert.Matches(@"e2ebr\s+bridge\s+tc\s+\d+\s+p1,p2\s+\{""agingSeconds"":120\}", module);
        Assert.Matches($@"p1\s+0\s+netdev:{veth}", module);

        (await CtlAsync("modules", "patch", "e2ebr", "--config", """{"agingSeconds":60}""")).Expect(0);
        (await CtlAsync("ports", "set", "e2ebr", "p2", "--config", """{"mode":"access","vlan":20}""")).Expect(0);
        var ports = JsonNode.Parse((await CtlAsync("-o", "json", "ports", "list", "e2ebr")).Expect(0).Stdout)!.AsArray();
        Assert.Equal(20, ports[1]!["config"]!["vlan"]!.GetValue<int>());

        Assert.Contains("fdb", (await CtlAsync("tables", "list", "e2ebr")).Expect(0).Stdout, StringComparison.Ordinal);
        (await CtlAsync("entries", "put", "e2ebr", "fdb", "--entry", """{"mac":"02:00:00:00:00:0b","vlan":1,"port":"p1"}""")).Expect(0);
        Assert.Contains("02:00:00:00:00:0b", (await CtlAsync("entries", "list", "e2ebr", "fdb")).Expect(0).Stdout, StringComparison.Ordinal);
        var key = JsonNode.Parse((await CtlAsync("-o", "json", "entries", "list", "e2ebr", "fdb")).Expect(0).Stdout)![0]!["key"]!.GetValue<string>();
        (await CtlAsync("entries", "get", "e2ebr", "fdb", key)).Expect(0);
        (await CtlAsync("entries", "delete", "e2ebr", "fdb", key)).Expect(0);
        Assert.Contains("0", (await CtlAsync("entries", "flush", "e2ebr", "fdb")).Expect(0).Stdout, StringComparison.Ordinal);

        Assert.Matches(@"p1\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+", (await CtlAsync("stats", "e2ebr")).Expect(0).Stdout);
        Assert.Matches($@"{veth}\s+\d+\s+\S+\s+\S+\s+e2ebr:p1", (await CtlAsync("interfaces")).Expect(0).Stdout);
        Assert.Contains(linkId, (await CtlAsync("links", "list")).Expect(0).Stdout, StringComparison.Ordinal);
        Assert.Matches(@"^STATUS.*\nok\s", (await CtlAsync("health")).Expect(0).Stdout.ReplaceLineEndings("\n"));

        (await CtlAsync("links", "delete", linkId)).Expect(0);
        (await CtlAsync("ports", "delete", "e2ebr", "p2")).Expect(0);
        (await CtlAsync("modules", "delete", "e2ebr")).Expect(0);
        (await CtlAsync("modules", "get", "e2ebr")).Expect(1);
    }

    [Fact]
    public async Task Rejections_exit_1_with_the_problem_and_its_fields()
    {
        (await CtlAsync("modules", "create", "e2edup", "--type", "bridge")).Expect(0);
        try
        {
            var duplicate = (await CtlAsync("modules", "create", "e2edup", "--type", "bridge")).Expect(1);
            Assert.StartsWith("error: Conflict: ", duplicate.Stderr, StringComparison.Ordinal);
            Assert.Contains("\n  name: ", duplicate.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);

            var invalid = (await CtlAsync("modules", "create", "e2ebad", "--type", "bridge", "--config", """{"agingSeconds":-1}""")).Expect(1);
            Assert.StartsWith("error: Invalid request: ", invalid.Stderr, StringComparison.Ordinal);
            Assert.Contains("\n  config.agingSeconds: ", invalid.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);

            var missing = (await CtlAsync("ports", "list", "e2enothere")).Expect(1);
            Assert.StartsWith("error: Not found: ", missing.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await CtlAsync("modules", "delete", "e2edup");
        }
    }

    [Fact]
    public async Task The_typed_client_reports_field_errors_as_HoverApiException()
    {
        using var api = HoverClient.Create(fixture.Hoverd.BaseAddress);

        var e = await Assert.ThrowsAsync<HoverApiException>(() =>
            api.CreateModuleAsync(new ModuleCreateRequest("e2eclient", "bridge", "sideways")));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.Status);
        Assert.Contains("hook", e.Errors.Keys);
        Assert.Equal("ok", (await api.GetHealthAsync()).Status);
    }

    [Fact]
    public async Task Applying_a_chain_twice_changes_nothing_the_second_time()
    {
        var spec = Path.Combine(Path.GetTempPath(), $"chain-{Guid.NewGuid():N}.yaml");
        var example = await File.ReadAllTextAsync(RepoPaths.File("examples/two-hosts-bridge.yaml"));
        await File.WriteAllTextAsync(spec, example
            .Replace("name: two-hosts", "name: e2echain", StringComparison.Ordinal)
            .Replace("br1", "e2echbr", StringComparison.Ordinal)
            .Replace("netdev:veth-a", $"netdev:{fixture.Veths.A}", StringComparison.Ordinal)
            .Replace("netdev:veth-b", $"netdev:{fixture.Veths.B}", StringComparison.Ordinal));
        try
        {
            var first = (await CtlAsync("apply", "-f", spec)).Expect(0);
            Assert.Matches(@"create\s+module\s+e2echbr", first.Stdout);
            Assert.Matches(@"create\s+link\s+", first.Stdout);

            Assert.Equal("no changes" + Environment.NewLine, (await CtlAsync("apply", "-f", spec)).Expect(0).Stdout);

            Assert.Matches(@"e2echain\s+1\s+2\s+1", (await CtlAsync("chains", "list")).Expect(0).Stdout);
            var applied = JsonNode.Parse((await CtlAsync("-o", "json", "chains", "get", "e2echain")).Expect(0).Stdout)!;
            Assert.Equal(2, applied["links"]!.AsArray().Count);

            var withoutSecondLink = string.Join('\n', (await File.ReadAllLinesAsync(spec))
                .Where(l => !l.Contains("from: e2echbr:p2", StringComparison.Ordinal) && !l.Contains($"to: netdev:{fixture.Veths.B}", StringComparison.Ordinal)));
            await File.WriteAllTextAsync(spec, withoutSecondLink);
            var smaller = (await CtlAsync("apply", "-f", spec)).Expect(0).Stdout;
            Assert.Matches(@"delete\s+link\s+", smaller);
            Assert.DoesNotMatch(@"module", smaller);
        }
        finally
        {
            File.Delete(spec);
            await CtlAsync("chains", "delete", "e2echain");
        }
        (await CtlAsync("chains", "get", "e2echain")).Expect(1);
        (await CtlAsync("modules", "get", "e2echbr")).Expect(1);
    }

    [Fact]
    public async Task Metrics_are_served_as_prometheus_text()
    {
        var run = (await CtlAsync("metrics")).Expect(0);

        Assert.Contains("# TYPE ", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hoverctl_binary_exits_with_the_documented_codes()
    {
        var server = fixture.Hoverd.BaseAddress.ToString();
        Assert.Equal(0, (await HoverctlAsync("--server", server, "health")).ExitCode);
        Assert.Equal(1, (await HoverctlAsync("--server", server, "modules", "get", "e2enone")).ExitCode);
        Assert.Equal(2, (await HoverctlAsync("--server", server, "modules", "create")).ExitCode);
        Assert.Equal(3, (await HoverctlAsync("--server", "http://127.0.0.1:1", "health")).ExitCode);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> HoverctlAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "hoverctl"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }
}
