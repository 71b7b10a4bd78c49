using System.Diagnostics;
using IoVisor.Ovsdb;
using IoVisor.Ovsdb.Transactions;
using IoVisor.OvnBridge.Rows;
using IoVisor.OvnBridge.Translation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IoVisor.OvnBench;

/// <summary>The translation alone, in this process, over the generated database: synchronizing
/// a client, reading its cache into records and translating, cold (nothing cached), again
/// unchanged (warmed up), and after each of a series of ACL changes (what an incremental update
/// costs before Hover applies anything).</summary>
internal static class TranslationTiming
{
    private const int Rounds = 30;

    public sealed record Result(double SyncMs, double ReadColdMs, double TranslateColdMs, double FullWarmMs, Latencies AfterChange,
        int Modules, int Links, int Entries, int Untranslated);

    public static async Task<Result> MeasureAsync(string northbound, IReadOnlyList<(string Netdev, string Port)> bindings)
    {
        var ovs = OvsSnapshot.FromRows(bindings.Select(b => new OvsInterface(Guid.NewGuid(), b.Netdev, new Dictionary<string, string> { ["iface-id"] = b.Port })));
        await using var client = new OvsdbClient(Options.Create(new OvsdbClientOptions { Remotes = [northbound], Database = "OVN_Northbound" }), NullLogger<OvsdbClient>.Instance);
        NbReader.Monitor(client);
        var clock = Stopwatch.StartNew();
        await client.StartAsync(CancellationToken.None);
        var sync = clock.Elapsed.TotalMilliseconds;

        var reader = new NbReader();
        var translator = new OvnTranslator();
        clock.Restart();
        var snapshot = reader.Read(client.Cache.Snapshot);
        var readCold = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var cold = translator.Translate(snapshot, ovs, 255);
        var translateCold = clock.Elapsed.TotalMilliseconds;
        var warm = new Latencies();
        for (var i = 0; i < Rounds; i++)
        {
            clock.Restart();
            translator.Translate(reader.Read(client.Cache.Snapshot), ovs, 255);
            warm.Add(clock.Elapsed.TotalMilliseconds);
        }

        var afterChange = new Latencies();
        for (var i = 0; i < Rounds; i++)
        {
            var before = client.Cache.Snapshot;
            await client.TransactAsync([new UpdateOperation("ACL", [OvsdbCondition.Uuid(NbGenerator.AclId(i % 10, 4))],
                NbGenerator.Row(("match", $"ip4 && tcp.dst >= 8000 && tcp.dst <= {8200 + i}")))], CancellationToken.None);
            while (ReferenceEquals(client.Cache.Snapshot, before))
            {
                await Task.Delay(1);
            }
            clock.Restart();
            translator.Translate(reader.Read(client.Cache.Snapshot), ovs, 255);
            afterChange.Add(clock.Elapsed.TotalMilliseconds);
        }
        return new Result(sync, readCold, translateCold, warm.Percentile(50), afterChange, cold.Graph.Modules.Count, cold.Graph.Links.Count,
            cold.Graph.Entries.Count, cold.Untranslated.Count);
    }
}
