using System.Diagnostics;
using System.Globalization;
using IoVisor.OvnBench;
using IoVisor.Ovsdb.Transactions;

// Benchmark of the OVN bridge (README, "OVN"): a generated northbound database (by default 1,000
// switches, 10,000 ports, 10,000 ACLs, 200 ports bound to local veths), hoverd's cold start to a
// programmed datapath, and NB commit -> datapath latency. Needs root, OVS/OVN tools and a built hoverd.
var options = BenchOptions.Parse(args);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"OVN bench: {options.Switches} switches, {options.Switches * options.PortsPerSwitch} VIF ports, " +
    $"{options.Switches * options.AclsPerSwitch} ACLs, {options.Routers} routers, {options.Bound} ports bound here, {options.Changes} timed changes");

await using var nbServer = await OvsdbServerProcess.StartAsync("/usr/share/ovn/ovn-nb.ovsschema");
await using var ovsServer = await OvsdbServerProcess.StartAsync("/usr/share/openvswitch/vswitch.ovsschema");
await Tools.RunAsync("ovn-nbctl", $"--db={nbServer.Remote}", "init");
await Tools.RunAsync("ovs-vsctl", $"--db={ovsServer.Remote}", "--no-wait", "init", "--", "add-br", "br-int");
await using var nb = await CfgWatch.StartAsync(nbServer.Remote);

var clock = Stopwatch.StartNew();
foreach (var transaction in new NbGenerator(options).Transactions())
{
    await nb.Client.TransactAsync(transaction, CancellationToken.None);
}
Console.WriteLine($"generated the northbound database in {clock.Elapsed.TotalSeconds:0.0} s");

await using var netdevs = new LocalNetdevs(options);
await netdevs.CreateAsync(ovsServer.Remote);

var translation = await TranslationTiming.MeasureAsync(nbServer.Remote, netdevs.Bindings);
Console.WriteLine($"translation in process: initial sync {translation.SyncMs:0} ms, cache to records {translation.ReadColdMs:0} ms, " +
    $"translate cold {translation.TranslateColdMs:0} ms, again unchanged (warm, p50) {translation.FullWarmMs:0.0} ms, after an ACL change {translation.AfterChange.Summary()}; " +
    $"graph: {translation.Modules} modules, {translation.Links} links, {translation.Entries} entries, {translation.Untranslated} rows left out");

// Cold start: hoverd from its process start to hv_cfg acknowledging the database as programmed.
// Repeated, each time with fresh state and pins (one start varies by a second or more with how fast
// the kernel hands out the memory of the maps), and the median reported; the last hoverd stays.
var coldStarts = new Latencies();
HoverdRun? launched = null;
for (var run = 1; run <= options.ColdStarts; run++)
{
    if (launched is not null)
    {
        await launched.DisposeAsync();
    }
    var coldCfg = await nb.CommitAsync([]);
    clock.Restart();
    launched = HoverdRun.Start(nbServer.Remote, ovsServer.Remote);
    await launched.WaitHealthyAsync();
    var healthy = clock.Elapsed.TotalSeconds;
    await nb.WaitAsync(coldCfg, TimeSpan.FromMinutes(30));
    var programmed = clock.Elapsed.TotalSeconds;
    coldStarts.Add(programmed * 1000);
    var status = await launched.StatusAsync();
    var applied = status["lastApplied"]!;
    Console.WriteLine($"cold start {run}: hoverd answering after {healthy:0.00} s, datapath programmed after {programmed:0.00} s " +
        $"(translate {(double)applied["translateMilliseconds"]!:0} ms, apply {(double)applied["applyMilliseconds"]!:0} ms, {(int)applied["changes"]!} changes; " +
        $"{(int)status["counts"]!["modules"]!} modules, {(int)status["counts"]!["links"]!} links, {(int)status["counts"]!["entries"]!} entries, state {status["state"]})");
}
await using var hoverd = launched!;
Console.WriteLine($"cold start to datapath programmed, {coldStarts.Count} starts: median {coldStarts.Percentile(50) / 1000:0.00} s, " +
    $"min {coldStarts.Percentile(0) / 1000:0.00} s, max {coldStarts.Percentile(100) / 1000:0.00} s");

// Incremental: changes that reach the datapath (an ACL on a local switch: its ports' firewalls;
// a bound port's MAC: its bridge's FDB), and changes elsewhere (translated, nothing to apply).
var localSwitches = (options.Bound + options.PortsPerSwitch - 1) / options.PortsPerSwitch;
const int WarmupChanges = 10;
var local = new Latencies();
var aclChanges = new Latencies();
var macChanges = new Latencies();
var applyTimes = new Latencies();
var translateTimes = new Latencies();
for (var i = 0; i < options.Changes; i++)
{
    var s = i / 2 % localSwitches;
    OvsdbOperation change = i % 2 == 0
        ? new UpdateOperation("ACL", [OvsdbCondition.Uuid(NbGenerator.AclId(s, 4))], NbGenerator.Row(("match", $"ip4 && tcp.dst >= 8000 && tcp.dst <= {8101 + i}")))
        : new UpdateOperation("Logical_Switch_Port", [OvsdbCondition.Uuid(NbGenerator.PortId(s, 0))],
            NbGenerator.Row(("addresses", IoVisor.Ovsdb.Data.OvsdbSet.Of(IoVisor.Ovsdb.Data.OvsdbAtom.String($"02:aa:00:00:{i >> 8:x2}:{i & 0xff:x2} {NbGenerator.Subnet(s, 10)}")))));
    var started = Stopwatch.GetTimestamp();
    var cfg = await nb.CommitAsync([change]);
    await nb.WaitAsync(cfg, TimeSpan.FromMinutes(2));
    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    local.Add(elapsed);
    (i % 2 == 0 ? aclChanges : macChanges).Add(elapsed);
    var last = (await hoverd.StatusAsync())["lastApplied"]!;
    applyTimes.Add((double)last["applyMilliseconds"]!);
    translateTimes.Add((double)last["translateMilliseconds"]!);
}
Console.WriteLine($"NB commit -> datapath programmed (local changes): {local.Summary()}");
// The first changes after a cold start also pay for the JIT compiling the incremental path at its
// higher tiers and for collecting what the cold start left: shown apart from the steady state.
Console.WriteLine($"  the first {WarmupChanges}: {local.First(WarmupChanges).Summary()}; after them: {local.After(WarmupChanges).Summary()}");
Console.WriteLine($"  an ACL of a local switch (rules of its {options.PortsPerSwitch} port firewalls): {aclChanges.Summary()}");
Console.WriteLine($"  the MAC of a bound port (its bridge's FDB): {macChanges.Summary()}");
Console.WriteLine($"  of which translate: {translateTimes.Summary()}");
Console.WriteLine($"  of which Hover's chain apply: {applyTimes.Summary()}");

var remote = new Latencies();
for (var i = 0; i < Math.Min(options.Changes, 100); i++)
{
    var s = options.Switches - 1 - i % Math.Max(1, options.Switches - localSwitches);
    var started = Stopwatch.GetTimestamp();
    var cfg = await nb.CommitAsync([new UpdateOperation("ACL", [OvsdbCondition.Uuid(NbGenerator.AclId(s, 4))],
        NbGenerator.Row(("match", $"ip4 && tcp.dst >= 8000 && tcp.dst <= {9001 + i}")))]);
    await nb.WaitAsync(cfg, TimeSpan.FromMinutes(2));
    remote.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}
Console.WriteLine($"NB commit -> acknowledged (changes on switches with no local port): {remote.Summary()}");

// Where Hover's part goes: the same spec posted again is validated and planned but changes
// nothing (so nothing is written or persisted).
var spec = await hoverd.Http.GetStringAsync("chains/ovn");
var unchanged = new Latencies();
for (var i = 0; i < 20; i++)
{
    var started = Stopwatch.GetTimestamp();
    using var response = await hoverd.Http.PostAsync("chains", new StringContent(spec, System.Text.Encoding.UTF8, "application/json"));
    response.EnsureSuccessStatusCode();
    unchanged.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}
Console.WriteLine($"POST /chains with the unchanged ovn spec ({spec.Length / 1024} KiB; validate and plan only): {unchanged.Summary()}");
