using System.Net;
using System.Text.Json.Nodes;
using IoVisor.Integration.Tests.Harness;
using Xunit;

namespace IoVisor.Integration.Tests;

/// <summary>
/// Hosts behind router r1 and NAT n1 reach an outside host that has no route back to them, with TCP,
/// UDP and ping; the outside host sees the external addresses. Port forwards reach inside servers;
/// the sessions table shows the flows; a flow survives kill -9 of the daemon.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class NatTests
{
    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Inside_hosts_reach_an_outside_server_as_their_external_addresses(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await NatTopology.BuildAsync(bed, hook, 91);
        var external = $"{t.OutsideNet}.10";
        await NatTopology.AddRuleAsync(bed.Http, new JsonObject { ["type"] = "masquerade", ["logicalIp"] = "10.91.0.0/16" });
        await NatTopology.AddRuleAsync(bed.Http, new JsonObject { ["type"] = "snat", ["logicalIp"] = "10.91.3.0/24", ["externalIp"] = external });

        foreach (var (host, seenAs) in new[] { (t.A, t.RouterOutside), (t.B, external) })
        {
            var ping = await host.Namespace.PingAsync(t.Outside.Ip, count: 3, timeoutSeconds: 3);
            Assert.True(ping.Succeeded, $"{hook}: {host.Ip} cannot ping the outside host: {ping.Describe()}\n--- hoverd ---\n{bed.Hover.Output}");
            var tcp = await PeerReport.TcpAsync(t.Outside.Namespace, t.Outside.Ip, host.Namespace, t.Outside.Ip, 5201);
            Assert.True(tcp.Intact, $"{hook}: the TCP transfer from {host.Ip} arrived damaged");
            Assert.Equal(seenAs, tcp.SeenAddress);
            var udp = await PeerReport.UdpAsync(t.Outside.Namespace, t.Outside.Ip, host.Namespace, t.Outside.Ip, 5300);
            Assert.Equal(seenAs, udp.SeenAddress);
            // The port unreachable the outside host sends back is translated to reach the sender.
            Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, await ClosedPortProbe.UdpAsync(host.Namespace, t.Outside.Ip, 5999));
        }

        var all = (await bed.Http.GetJsonAsync("modules/n1/tables/sessions/entries")).AsArray();
        var tcpOnly = (await bed.Http.GetJsonAsync("modules/n1/tables/sessions/entries?proto=tcp")).AsArray();
        Assert.Equal(2, tcpOnly.Count);
        Assert.All(tcpOnly, s => Assert.Equal("tcp", (string?)s!["proto"]));
        Assert.Contains(tcpOnly, s => (string?)s!["src"] == t.B.Ip && (string?)s["rule"] == "snat 10.91.3.0/24" && ((string?)s["reply"])!.EndsWith($"> {external}:{(long?)s["sport"]}", StringComparison.Ordinal));
        Assert.Contains(tcpOnly, s => (string?)s!["src"] == t.A.Ip && (string?)s["rule"] == "masquerade 10.91.0.0/16");
        Assert.Contains(all, s => (string?)s!["proto"] == "udp" && (long?)s["dport"] == 5999);
        Assert.Contains(all, s => (string?)s!["proto"] == "icmp");
        var fromB = (await bed.Http.GetJsonAsync($"modules/n1/tables/sessions/entries?src={t.B.Ip}")).AsArray();
        Assert.Equal(4, fromB.Count);

        var flushed = (await bed.Http.SendAsync(HttpMethod.Delete, "modules/n1/tables/sessions/entries")).Expect(HttpStatusCode.OK).Json!;
        Assert.Equal(all.Count, (int?)flushed["removed"]);
        Assert.Empty((await bed.Http.GetJsonAsync("modules/n1/tables/sessions/entries")).AsArray());
        var rules = (await bed.Http.GetJsonAsync("modules/n1/tables/rules/entries")).AsArray();
        Assert.Equal(2, rules.Count);
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task Port_forwards_and_one_to_one_addresses_reach_inside_hosts(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await NatTopology.BuildAsync(bed, hook, 92);
        var oneToOne = $"{t.OutsideNet}.20";
        await NatTopology.AddRuleAsync(bed.Http, new JsonObject
        {
            ["type"] = "dnat", ["externalIp"] = t.RouterOutside, ["protocol"] = "tcp", ["externalPort"] = 8080, ["logicalIp"] = t.A.Ip, ["logicalPort"] = 80,
        });
        await NatTopology.AddRuleAsync(bed.Http, new JsonObject { ["type"] = "dnat_and_snat", ["externalIp"] = oneToOne, ["logicalIp"] = t.B.Ip });

        // The inside server sees the outside host itself: dnat changes only the destination.
        var forwarded = await PeerReport.TcpAsync(t.A.Namespace, t.A.Ip, t.Outside.Namespace, t.RouterOutside, 80, connectPort: 8080);
        Assert.True(forwarded.Intact, $"{hook}: the forwarded TCP transfer arrived damaged\n--- hoverd ---\n{bed.Hover.Output}");
        Assert.Equal(forwarded.Local, forwarded.Seen);

        var ping = await t.Outside.Namespace.PingAsync(oneToOne, count: 3, timeoutSeconds: 3);
        Assert.True(ping.Succeeded, $"{hook}: {oneToOne} does not answer ping: {ping.Describe()}");
        var inbound = await PeerReport.UdpAsync(t.B.Namespace, t.B.Ip, t.Outside.Namespace, oneToOne, 7000);
        Assert.Equal(inbound.Local, inbound.Seen);
        var outbound = await PeerReport.UdpAsync(t.Outside.Namespace, t.Outside.Ip, t.B.Namespace, t.Outside.Ip, 7001);
        Assert.Equal(oneToOne, outbound.SeenAddress);
        Assert.Equal(outbound.Local.Split(':')[1], outbound.Seen.Split(':')[1]);

        var sessions = (await bed.Http.GetJsonAsync("modules/n1/tables/sessions/entries?from=outside")).AsArray();
        Assert.Contains(sessions, s => (string?)s!["rule"] == $"dnat tcp {t.RouterOutside}:8080" && (long?)s["dport"] == 8080);
        Assert.Contains(sessions, s => (string?)s!["rule"] == $"dnat_and_snat {oneToOne}" && (string?)s["proto"] == "icmp");
    }

    [Theory]
    [InlineData("tc")]
    [InlineData("xdp")]
    public async Task A_transfer_survives_kill_9_and_its_session_is_listed_after_the_restart(string hook)
    {
        await using var bed = await TestBed.StartAsync();
        var t = await NatTopology.BuildAsync(bed, hook, 93);
        await NatTopology.AddRuleAsync(bed.Http, new JsonObject { ["type"] = "masquerade", ["logicalIp"] = "10.93.0.0/16" });
        var warmUp = await t.A.Namespace.PingAsync(t.Outside.Ip);
        Assert.True(warmUp.Succeeded, $"{hook}: no NAT before the kill: {warmUp.Describe()}\n{bed.Hover.Output}");

        // About 12 s of paced sending: the daemon dies and comes back in the middle of it.
        var transfer = PeerReport.TcpAsync(t.Outside.Namespace, t.Outside.Ip, t.A.Namespace, t.Outside.Ip, 5201,
            chunks: 150, pace: TimeSpan.FromMilliseconds(80), timeout: TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var before = Assert.Single((await bed.Http.GetJsonAsync("modules/n1/tables/sessions/entries?proto=tcp")).AsArray())!;
        bed.Hover.KillHard();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await bed.Hover.RestartAsync();
        Assert.False(transfer.IsCompleted, "the transfer ended before the daemon was back: make it longer");

        var listed = await bed.Http.SendAsync(HttpMethod.Get, "modules/n1/tables/sessions/entries?proto=tcp");
        Assert.True(listed.Status == HttpStatusCode.OK, $"{listed.Describe()}\n--- hoverd ---\n{bed.Hover.Output}");
        var after = Assert.Single(listed.Json!.AsArray())!;
        Assert.Equal((string?)before["key"], (string?)after["key"]);
        Assert.Equal((string?)before["reply"], (string?)after["reply"]);
        Assert.Equal("established", (string?)after["state"]);
        Assert.Equal("masquerade 10.93.0.0/16", (string?)after["rule"]);

        var result = await transfer;
        Assert.True(result.Intact, $"{hook}: the transfer arrived damaged across kill -9 and restart\n--- hoverd ---\n{bed.Hover.Output}");
        Assert.Equal(t.RouterOutside, result.SeenAddress);
        Assert.Single((await bed.Http.GetJsonAsync("modules/n1/tables/rules/entries")).AsArray());
    }

    [Fact]
    public async Task Bad_nat_input_is_refused_and_changes_nothing()
    {
        await using var bed = await TestBed.StartAsync();
        await bed.Http.CreateModuleAsync("n1", "nat", "tc");
        await bed.Http.AddPortAsync("n1", "in", new JsonObject { ["role"] = "inside" });
        await bed.Http.AddPortAsync("n1", "out", new JsonObject { ["role"] = "outside", ["address"] = "198.18.94.1" });
        await bed.Http.CreateModuleAsync("n2", "nat", "tc");
        await bed.Http.AddPortAsync("n2", "out", new JsonObject { ["role"] = "outside" });
        const string Rules = "modules/n1/tables/rules/entries";
        await bed.Http.CreateAsync(Rules, new JsonObject { ["type"] = "masquerade", ["logicalIp"] = "10.94.0.0/16" });
        await bed.Http.CreateAsync(Rules, new JsonObject { ["type"] = "snat", ["logicalIp"] = "10.94.1.0/24", ["externalIp"] = "198.18.94.10" });
        await bed.Http.CreateAsync(Rules, new JsonObject { ["type"] = "dnat", ["externalIp"] = "198.18.94.30", ["logicalIp"] = "10.94.1.30" });
        var before = await bed.Http.SnapshotGraphAsync();
        var rulesBefore = (await bed.Http.GetJsonAsync(Rules)).ToJsonString();

        var cases = new (string Path, HttpMethod Method, JsonNode? Body, HttpStatusCode Status, string Field)[]
        {
            ("modules/n1/ports/out", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["role"] = "inside" } }, HttpStatusCode.BadRequest, "config.role"),
            ("modules/n1/ports/out", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["role"] = "outside" } }, HttpStatusCode.BadRequest, "config.address"),
            ("modules/n1/ports/out", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["role"] = "outside", ["address"] = "10.0.0.1/24" } }, HttpStatusCode.BadRequest, "config.address"),
            ("modules/n1/ports/out", HttpMethod.Delete, null, HttpStatusCode.BadRequest, "name"),
            ("modules/n2/ports", HttpMethod.Post, new JsonObject { ["name"] = "o2", ["config"] = new JsonObject { ["role"] = "outside" } }, HttpStatusCode.BadRequest, "config.role"),
            ("modules/n1", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["externalMac"] = "ff:ff:ff:ff:ff:ff" } }, HttpStatusCode.BadRequest, "config.externalMac"),
            ("modules/n1", HttpMethod.Patch, new JsonObject { ["config"] = new JsonObject { ["conntrack"] = new JsonObject { ["udp"] = 0 } } }, HttpStatusCode.BadRequest, "config.conntrack.udp"),
            (Rules, HttpMethod.Post, new JsonObject { ["type"] = "dnat", ["externalIp"] = "198.18.94.1", ["externalPort"] = 80, ["logicalIp"] = "10.94.1.5" }, HttpStatusCode.BadRequest, "protocol"),
            (Rules, HttpMethod.Post, new JsonObject { ["type"] = "snat", ["logicalIp"] = "10.94.2.0/24", ["externalIp"] = "198.18.94.20-198.18.94.11" }, HttpStatusCode.BadRequest, "externalIp"),
            (Rules, HttpMethod.Post, new JsonObject { ["type"] = "snat", ["logicalIp"] = "10.94.2.0/24", ["externalIp"] = "198.18.94.11", ["externalPortRange"] = "9000-8000" }, HttpStatusCode.BadRequest, "externalPortRange"),
            (Rules, HttpMethod.Post, new JsonObject { ["type"] = "masquerade", ["logicalIp"] = "10.94.1.0/24" }, HttpStatusCode.BadRequest, "logicalIp"),
            (Rules, HttpMethod.Post, new JsonObject { ["type"] = "masquerade", ["logicalIp"] = "10.94.0.0/16" }, HttpStatusCode.BadRequest, "logicalIp"),
            (Rules, HttpMethod.Post, new JsonObject { ["type"] = "dnat_and_snat", ["externalIp"] = "198.18.94.30", ["logicalIp"] = "10.94.1.31" }, HttpStatusCode.BadRequest, "externalIp"),
            (Rules, HttpMethod.Post, new JsonObject { ["type"] = "dnat_and_snat", ["externalIp"] = "198.18.94.1", ["logicalIp"] = "10.94.1.32" }, HttpStatusCode.BadRequest, "externalIp"),
            (Rules, HttpMethod.Post, new JsonObject { ["type"] = "snat", ["logicalIp"] = "10.94.1.0/24", ["externalIp"] = "198.18.94.12" }, HttpStatusCode.BadRequest, "logicalIp"),
            ($"{Rules}/snat%2010.94.1.0%2F24", HttpMethod.Put, new JsonObject { ["type"] = "snat", ["logicalIp"] = "10.94.9.0/24", ["externalIp"] = "198.18.94.12" }, HttpStatusCode.BadRequest, "key"),
            ($"{Rules}/bogus", HttpMethod.Delete, null, HttpStatusCode.BadRequest, "key"),
            ("modules/n2/tables/rules/entries", HttpMethod.Post, new JsonObject { ["type"] = "masquerade", ["logicalIp"] = "10.95.0.0/16" }, HttpStatusCode.BadRequest, "type"),
            ("modules/n1/tables/sessions/entries", HttpMethod.Post, new JsonObject { ["key"] = "tcp 10.94.1.2:1 > 198.18.94.100:2" }, HttpStatusCode.Conflict, "table"),
        };
        foreach (var (path, method, body, status, field) in cases)
        {
            var response = await bed.Http.SendAsync(method, path, body);
            response.ExpectProblem(status, field);
        }
        Assert.Equal(before.ToJsonString(), (await bed.Http.SnapshotGraphAsync()).ToJsonString());
        Assert.Equal(rulesBefore, (await bed.Http.GetJsonAsync(Rules)).ToJsonString());
        Assert.Equal("ok", (string?)(await bed.Http.GetJsonAsync("health"))["status"]);
    }
}
