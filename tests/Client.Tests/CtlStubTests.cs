using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace IoVisor.Client.Tests;

/// <summary>hoverctl's command tree run in-process against a stub daemon: what it sends, prints and exits with.</summary>
public sealed class CtlStubTests
{
    private const string Br1 = """
        {"name":"br1","type":"bridge","hook":"xdp","index":0,"config":{"agingSeconds":300},
         "ports":[{"name":"p1","index":0,"config":{"mode":"access","vlan":1},"peer":"netdev:veth1"},
                  {"name":"uplink","index":1,"config":{"mode":"trunk","vlans":[10,20]},"peer":null}]}
        """;

    private const string Hop = """{"packetId":7,"hop":1,"timestampNs":1850,"deltaNs":850,"module":"br1","port":"p1","verdict":"forward","len":98,"summary":"10.0.0.1 > 10.0.0.2 ICMP echo request"}""";

    [Fact]
    public async Task Modules_list_prints_an_aligned_table()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, $"[{Br1}, {{\"name\":\"router-one\",\"type\":\"router\",\"hook\":\"tc\",\"index\":12,\"config\":{{}},\"ports\":[]}}]");

        var run = (await CtlRun.AgainstAsync(stub, "modules", "list")).Expect(0);

        Assert.Equal("""
            NAME        TYPE    HOOK  INDEX  PORTS      CONFIG
            br1         bridge  xdp   0      p1,uplink  {"agingSeconds":300}
            router-one  router  tc    12     -          {}

            """, run.Stdout, ignoreLineEndingDifferences: true);
        Assert.Equal("GET /modules", Single(stub));
    }

    [Fact]
    public async Task Modules_get_shows_the_module_and_its_ports()
    {
        var run = (await CtlRun.AgainstAsync(StubHandler.Always(HttpStatusCode.OK, Br1), "modules", "get", "br1")).Expect(0);

        Assert.Contains("""
            PORT    INDEX  PEER          CONFIG
            p1      0      netdev:veth1  {"mode":"access","vlan":1}
            uplink  1      -             {"mode":"trunk","vlans":[10,20]}
            """.ReplaceLineEndings(), run.Stdout.ReplaceLineEndings(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_the_api_answer()
    {
        var run = (await CtlRun.AgainstAsync(StubHandler.Always(HttpStatusCode.OK, Br1), "-o", "json", "modules", "get", "br1")).Expect(0);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Br1), JsonNode.Parse(run.Stdout)), run.Stdout);
    }

    [Fact]
    public async Task Modules_create_sends_name_type_hook_and_config()
    {
        var stub = StubHandler.Always(HttpStatusCode.Created, Br1);

        (await CtlRun.AgainstAsync(stub, "modules", "create", "br1", "--type", "bridge", "--hook", "xdp", "--config", """{"agingSeconds":300}""")).Expect(0);

        Assert.Equal("""POST /modules {"name":"br1","type":"bridge","hook":"xdp","config":{"agingSeconds":300}}""", Single(stub));
    }

    [Fact]
    public async Task A_rejected_request_prints_the_problem_and_each_field_and_exits_1()
    {
        var stub = StubHandler.Always(HttpStatusCode.BadRequest, """
            {"title":"Invalid request","status":400,"detail":"config.agingSeconds: must be a number",
             "errors":{"config.agingSeconds":["must be a number"],"hook":["must be tc or xdp","is required"]}}
            """, "application/problem+json");

        var run = (await CtlRun.AgainstAsync(stub, "modules", "create", "br1", "--type", "bridge", "--config", """{"agingSeconds":"x"}""")).Expect(1);

        Assert.Equal("""
            error: Invalid request: config.agingSeconds: must be a number
              config.agingSeconds: must be a number
              hook: must be tc or xdp
              hook: is required

            """, run.Stderr, ignoreLineEndingDifferences: true);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task A_problem_without_detail_names_the_request()
    {
        var stub = StubHandler.Always(HttpStatusCode.NotFound, """{"title":"Not Found","status":404}""", "application/problem+json");

        var run = (await CtlRun.AgainstAsync(stub, "trace", "--limit", "1")).Expect(1);

        Assert.Equal("error: Not Found: GET http://127.0.0.1:5000/trace?limit=1" + Environment.NewLine, run.Stderr);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task A_kernel_refusal_prints_the_verifier_log()
    {
        var stub = StubHandler.Always(HttpStatusCode.UnprocessableEntity,
            """{"title":"Kernel refused the change","status":422,"detail":"load failed","verifierLog":"0: r1 = 0\nR1 invalid mem access\n"}""",
            "application/problem+json");

        var run = (await CtlRun.AgainstAsync(stub, "modules", "create", "br1", "--type", "bridge")).Expect(1);

        Assert.EndsWith("verifier log:\n0: r1 = 0\nR1 invalid mem access\n", run.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_exits_3()
    {
        var stub = StubHandler.Always(HttpStatusCode.InternalServerError, """{"title":"Internal error","status":500,"detail":"boom"}""", "application/problem+json");

        var run = (await CtlRun.AgainstAsync(stub, "health")).Expect(3);

        Assert.Equal("error: Internal error: boom" + Environment.NewLine, run.Stderr);
    }

    [Fact]
    public async Task An_unreachable_server_exits_3()
    {
        var port = ClosedPort();

        var run = (await CtlRun.RunAsync(["--server", $"http://127.0.0.1:{port}", "modules", "list"])).Expect(3);

        Assert.StartsWith($"error: cannot reach http://127.0.0.1:{port}/: ", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("modules")]
    [InlineData("modules", "create", "br1")]
    [InlineData("modules", "create", "br1", "--type", "bridge", "--config", "{not json")]
    [InlineData("modules", "create", "br1", "--type", "bridge", "--config", "[1,2]")]
    [InlineData("modules", "create", "br1", "--type", "bridge", "--hook", "ebpf")]
    [InlineData("entries", "put", "br1", "fdb")]
    [InlineData("trace", "--limit", "0")]
    [InlineData("--output", "yaml", "health")]
    [InlineData("--server", "localhost:5000", "health")]
    [InlineData("no-such-command")]
    public async Task A_usage_error_exits_2_and_sends_nothing(params string[] args)
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, "{}");

        var run = (await CtlRun.AgainstAsync(stub, args)).Expect(2);

        Assert.StartsWith("error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help'", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(stub.Sent);
    }

    [Fact]
    public async Task The_server_defaults_to_HOVER_URL()
    {
        Uri? used = null;

        await CtlRun.RunAsync(["health"], uri =>
        {
            used = uri;
            return Hover.Client.HoverClient.Create(uri, StubHandler.Always(HttpStatusCode.OK, """{"status":"ok","modules":0,"links":0,"bpffsDir":"/b","stateDir":"/s","injectionDevice":"hvi0"}"""));
        }, serverFromEnvironment: "http://10.1.2.3:8080");

        Assert.Equal(new Uri("http://10.1.2.3:8080"), used);
    }

    [Fact]
    public async Task Help_lists_the_exit_codes()
    {
        var run = (await CtlRun.AgainstAsync(StubHandler.Always(HttpStatusCode.OK, "{}"), "--help")).Expect(0);

        Assert.Contains("Exit codes:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("3  cannot reach the server, or it failed (5xx)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_put_without_a_key_adds_and_with_a_key_replaces()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, """{"key":"02:00:00:00:00:01@1","mac":"02:00:00:00:00:01","vlan":1,"port":"p1"}""");
        const string entry = """{"mac":"02:00:00:00:00:01","vlan":1,"port":"p1"}""";

        (await CtlRun.AgainstAsync(stub, "entries", "put", "br1", "fdb", "--entry", entry)).Expect(0);
        (await CtlRun.AgainstAsync(stub, "entries", "put", "br1", "fdb", "02:00:00:00:00:01@1", "--entry", entry)).Expect(0);

        Assert.Equal(
            [$"POST /modules/br1/tables/fdb/entries {entry}", $"PUT /modules/br1/tables/fdb/entries/02%3A00%3A00%3A00%3A00%3A01%401 {entry}"],
            stub.Sent.Select(s => s.ToString()));
    }

    [Fact]
    public async Task Entries_list_has_a_column_per_field_with_the_key_first()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, """
            [{"mac":"02:00:00:00:00:01","key":"02:00:00:00:00:01@1","vlan":1,"port":"p1","ageSeconds":12},
             {"key":"02:00:00:00:00:02@1","mac":"02:00:00:00:00:02","vlan":1,"port":"p2","static":true}]
            """);

        var run = (await CtlRun.AgainstAsync(stub, "entries", "list", "br1", "fdb")).Expect(0);

        Assert.Equal("""
            KEY                  MAC                VLAN  PORT  AGE SECONDS  STATIC
            02:00:00:00:00:01@1  02:00:00:00:00:01  1     p1    12           -
            02:00:00:00:00:02@1  02:00:00:00:00:02  1     p2    -            true

            """, run.Stdout, ignoreLineEndingDifferences: true);
    }

    [Fact]
    public async Task Delete_confirms_for_people_and_prints_nothing_as_json()
    {
        var stub = new StubHandler(_ => StubHandler.NoContent());

        var table = (await CtlRun.AgainstAsync(stub, "ports", "delete", "br1", "p1")).Expect(0);
        var json = (await CtlRun.AgainstAsync(stub, "-o", "json", "ports", "delete", "br1", "p1")).Expect(0);

        Assert.Equal("port br1:p1 deleted" + Environment.NewLine, table.Stdout);
        Assert.Empty(json.Stdout);
        Assert.All(stub.Sent, s => Assert.Equal("DELETE /modules/br1/ports/p1", $"{s.Method} {s.PathAndQuery}"));
    }

    [Fact]
    public async Task Apply_sends_the_file_as_a_chain_and_lists_the_changes()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, """
            {"name":"two-hosts","changes":[{"action":"create","kind":"module","id":"br1"},{"action":"create","kind":"port","id":"br1:p1"}]}
            """);

        var run = (await CtlRun.AgainstAsync(stub, "apply", "-f", RepoPaths.File("examples/two-hosts-bridge.yaml"))).Expect(0);

        Assert.Equal("""
            ACTION  KIND    ID
            create  module  br1
            create  port    br1:p1

            """, run.Stdout, ignoreLineEndingDifferences: true);
        var sent = Assert.Single(stub.Sent);
        Assert.Equal("POST /chains", $"{sent.Method} {sent.PathAndQuery}");
        Assert.Equal("two-hosts", JsonNode.Parse(sent.Body!)!["name"]!.GetValue<string>());
        Assert.Equal("netdev:veth-b", JsonNode.Parse(sent.Body!)!["links"]![1]!["to"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_says_no_changes_when_there_are_none()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, """{"name":"two-hosts","changes":[]}""");

        var run = (await CtlRun.AgainstAsync(stub, "apply", "-f", RepoPaths.File("examples/two-hosts-bridge.yaml"))).Expect(0);

        Assert.Equal("no changes" + Environment.NewLine, run.Stdout);
    }

    [Fact]
    public async Task Apply_reads_stdin_for_a_dash()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, """{"name":"piped","changes":[]}""");

        (await CtlRun.RunAsync(["apply", "-f", "-"], uri => Hover.Client.HoverClient.Create(uri, stub), stdin: "name: piped\n")).Expect(0);

        Assert.Equal("""POST /chains {"name":"piped","modules":[],"links":[],"entries":[]}""", Single(stub));
    }

    [Fact]
    public async Task Apply_of_a_bad_file_is_a_usage_error_naming_the_line()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, "{}");

        var run = (await CtlRun.RunAsync(["apply", "-f", "-"], uri => Hover.Client.HoverClient.Create(uri, stub), stdin: "name: x\nlinks:\n  - from: a:b\n")).Expect(2);

        Assert.Equal("error: stdin:3: links[0]: missing 'to'" + Environment.NewLine, run.Stderr);
        Assert.Empty(stub.Sent);
    }

    [Fact]
    public async Task Apply_of_a_missing_file_is_a_usage_error()
    {
        var run = (await CtlRun.AgainstAsync(StubHandler.Always(HttpStatusCode.OK, "{}"), "apply", "-f", "/nonexistent/graph.yaml")).Expect(2);

        Assert.StartsWith("error: cannot read /nonexistent/graph.yaml: ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trace_prints_a_line_per_hop_and_passes_filter_and_limit()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, $"event: hop\ndata: {Hop}\n\n", "text/event-stream");

        var run = (await CtlRun.AgainstAsync(stub, "trace", "--filter", "ip.dst == 10.0.0.2", "--limit", "1")).Expect(0);

        var lines = run.Stdout.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("PACKET", lines[0], StringComparison.Ordinal);
        Assert.Equal(["7", "1", "+850ns", "br1", "p1", "forward", "98", "10.0.0.1"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..8]);
        Assert.EndsWith("10.0.0.1 > 10.0.0.2 ICMP echo request", lines[1], StringComparison.Ordinal);
        Assert.Equal("GET /trace?filter=ip.dst+%3D%3D+10.0.0.2&limit=1", Single(stub));
    }

    [Fact]
    public async Task Trace_as_json_prints_one_object_per_line()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, $"event: hop\ndata: {Hop}\n\nevent: hop\ndata: {Hop}\n\n", "text/event-stream");

        var run = (await CtlRun.AgainstAsync(stub, "-o", "json", "trace")).Expect(0);

        var lines = run.Stdout.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Hop), JsonNode.Parse(l)), l));
    }

    [Fact]
    public async Task Trace_ends_with_0_on_ctrl_c()
    {
        using var interrupt = new CancellationTokenSource();
        var stream = new OpenEndedStream(Encoding.UTF8.GetBytes($"event: hop\ndata: {Hop}\n\n"), interrupt);
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) });

        var run = await CtlRun.RunAsync(["trace"], uri => Hover.Client.HoverClient.Create(uri, stub), ct: interrupt.Token)
            .WaitAsync(TimeSpan.FromSeconds(10));

        run.Expect(0);
        Assert.Contains("+850ns", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_printed_as_served()
    {
        const string exposition = "# TYPE hover_rx_packets_total counter\nhover_rx_packets_total{module=\"br1\",port=\"p1\"} 42\n";

        var run = (await CtlRun.AgainstAsync(StubHandler.Always(HttpStatusCode.OK, exposition, "text/plain"), "metrics")).Expect(0);

        Assert.Equal(exposition, run.Stdout);
    }

    private static string Single(StubHandler stub)
    {
        var sent = Assert.Single(stub.Sent);
        return sent.Body is null ? $"{sent.Method} {sent.PathAndQuery}" : sent.ToString();
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Serves its bytes, then "presses Ctrl-C" and stays open like an idle trace until the read is cancelled.</summary>
    private sealed class OpenEndedStream(byte[] first, CancellationTokenSource interrupt) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (_position < first.Length)
            {
                var n = Math.Min(buffer.Length, first.Length - _position);
                first.AsMemory(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            await interrupt.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
