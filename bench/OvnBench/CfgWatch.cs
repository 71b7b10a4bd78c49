using IoVisor.Ovsdb;
using IoVisor.Ovsdb.Transactions;
using IoVisor.Ovsdb.Typed;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IoVisor.OvnBench;

/// <summary>A northbound client that commits changes with an nb_cfg bump, as ovn-nbctl --wait
/// does, and waits for hoverd (--ovn-ack-cfg) to write that value into hv_cfg once the change is
/// in the datapath.</summary>
internal sealed class CfgWatch : IAsyncDisposable
{
    private readonly OvsdbClient client;
    private long nbCfg;

    private CfgWatch(OvsdbClient client) => this.client = client;

    [OvsdbTable("NB_Global")]
    public sealed record Global(Guid Uuid, long NbCfg, long HvCfg);

    public OvsdbClient Client => client;

    public static async Task<CfgWatch> StartAsync(string remote)
    {
        var client = new OvsdbClient(Options.Create(new OvsdbClientOptions { Remotes = [remote], Database = "OVN_Northbound" }), NullLogger<OvsdbClient>.Instance);
        client.Monitor<Global>();
        await client.StartAsync(CancellationToken.None);
        return new CfgWatch(client) { nbCfg = client.Cache.Snapshot.Rows<Global>().Single().NbCfg };
    }

    public long HvCfg => client.Cache.Snapshot.Rows<Global>().Single().HvCfg;

    /// <summary>Commits <paramref name="operations"/> with nb_cfg + 1; returns the value hv_cfg must reach.</summary>
    public async Task<long> CommitAsync(IReadOnlyList<OvsdbOperation> operations)
    {
        await client.TransactAsync([.. operations, new MutateOperation("NB_Global", [], [new OvsdbMutation("nb_cfg", Mutator.Add, 1L)])], CancellationToken.None);
        return ++nbCfg;
    }

    public async Task WaitAsync(long cfg, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(object? sender, EventArgs e)
        {
            if (HvCfg >= cfg)
            {
                reached.TrySetResult();
            }
        }
        client.Cache.Changed += Check;
        try
        {
            Check(null, EventArgs.Empty);
            await reached.Task.WaitAsync(timeout);
        }
        finally
        {
            client.Cache.Changed -= Check;
        }
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
