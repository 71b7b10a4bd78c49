using System.Diagnostics;
using System.Threading.Channels;
using IoVisor.OvnBridge.Model;
using IoVisor.OvnBridge.Rows;
using IoVisor.OvnBridge.Translation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoVisor.OvnBridge.Service;

/// <summary>
/// Follows the OVN northbound and the local Open_vSwitch databases and keeps the target's graph
/// their translation. Every change (a burst of them, once <see cref="OvnBridgeOptions.Debounce"/>
/// has passed quietly) retranslates both databases as they stand and hands the graph to the
/// target, which applies only the difference. Nothing is applied before both databases were
/// synchronized once, and a lost connection changes nothing: the clients resynchronize and only
/// what changed meanwhile reaches the graph. What the target refuses is reported and retried.
/// </summary>
public sealed partial class OvnBridgeService : IAsyncDisposable
{
    private const int MaxRefusalRounds = 16;

    private readonly OvnBridgeOptions options;
    private readonly IGraphTarget target;
    private readonly ILogger logger;
    private readonly ILoggerFactory loggers;
    private readonly Channel<bool> dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly OvnTranslator translator;
    private readonly NbReader nbReader = new();
    private readonly TypedRowCache<OvsInterface> interfaces = new();
    private readonly CancellationTokenSource stopping = new();
    private DatabaseWatch? northbound;
    private DatabaseWatch? openVswitch;
    private Task? loop;

    private DesiredGraph? lastTranslated;
    private bool lastHadRefusals;
    private long sequence;
    private long acknowledgedCfg = -1;
    private volatile OvnStatus status;

    public OvnBridgeService(IOptions<OvnBridgeOptions> options, IGraphTarget target, ILoggerFactory loggers)
    {
        this.options = options.Value;
        this.target = target;
        this.loggers = loggers;
        logger = loggers.CreateLogger<OvnBridgeService>();
        translator = new OvnTranslator(this.options.Hook);
        status = new OvnStatus(this.options.Enabled, this.options.Enabled ? "waiting" : "off", null, NotConfigured(this.options.NorthboundRemotes),
            NotConfigured(this.options.OpenVswitchRemotes), null, null, []);
    }

    /// <summary>The current status, with both connections as they are now.</summary>
    public OvnStatus Status => status with
    {
        Northbound = northbound?.Status ?? status.Northbound,
        OpenVswitch = openVswitch?.Status ?? status.OpenVswitch,
    };

    /// <summary>Starts following the databases; returns at once (connecting goes on in the background).</summary>
    public Task StartAsync(CancellationToken ct)
    {
        if (!options.Enabled || loop is not null)
        {
            return Task.CompletedTask;
        }
        northbound = new DatabaseWatch("OVN_Northbound", options.NorthboundRemotes, NbReader.Monitor, MarkDirty, loggers);
        if (options.OpenVswitchRemotes.Count > 0)
        {
            openVswitch = new DatabaseWatch("Open_vSwitch", options.OpenVswitchRemotes, c => c.Monitor<OvsInterface>(), MarkDirty, loggers);
        }
        northbound.Start(stopping.Token);
        openVswitch?.Start(stopping.Token);
        loop = Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
        LogStarted(logger, options.Northbound, options.OpenVswitch);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }
        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }
        if (northbound is not null)
        {
            await northbound.DisposeAsync();
        }
        if (openVswitch is not null)
        {
            await openVswitch.DisposeAsync();
        }
        stopping.Dispose();
    }

    private void MarkDirty() => dirty.Writer.TryWrite(true);

    private async Task RunAsync(CancellationToken stop)
    {
        var retry = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await WaitForChangeAsync(retry ? options.RetryInterval : null, stop);
                if (options.Debounce > TimeSpan.Zero)
                {
                    await Task.Delay(options.Debounce, stop);
                }
                while (dirty.Reader.TryRead(out _))
                {
                }
                if (northbound is not { Synchronized: true } || openVswitch is { Synchronized: false })
                {
                    continue;
                }
                retry = await SynchronizeAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task WaitForChangeAsync(TimeSpan? retryAfter, CancellationToken stop)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (retryAfter is { } after)
        {
            wait.CancelAfter(after);
        }
        try
        {
            await dirty.Reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // Time to retry what failed or was refused.
        }
    }

    /// <summary>Translates the databases as they are and applies the graph; returns whether to
    /// try again later (something was refused, or the apply failed).</summary>
    private async Task<bool> SynchronizeAsync(CancellationToken stop)
    {
        var nbSnapshot = northbound!.Snapshot;
        OvnTranslation? translation = null;
        try
        {
            var ovs = openVswitch is null ? OvsSnapshot.Empty : new OvsSnapshot(interfaces.Map(openVswitch.Snapshot));
            var clock = Stopwatch.StartNew();
            translation = translator.Translate(nbReader.Read(nbSnapshot), ovs, target.ModuleCapacity);
            var translateMs = clock.Elapsed.TotalMilliseconds;
            var nbGlobal = nbSnapshot.Rows<NbGlobal>().FirstOrDefault();
            clock.Restart();
            var refused = new List<UntranslatedRow>();
            var changes = 0;
            if (lastHadRefusals || lastTranslated is null || !translation.Graph.SameAs(lastTranslated))
            {
                changes = await ApplyAsync(translation.Graph, refused, stop);
            }
            var applyMs = clock.Elapsed.TotalMilliseconds;
            lastTranslated = translation.Graph;
            lastHadRefusals = refused.Count > 0;
            // A standalone server keeps no transaction history and sends the zero UUID.
            var txn = nbSnapshot.LastTxnId is { } id && id != Guid.Empty ? id : (Guid?)null;
            var applied = new OvnAppliedState(++sequence, txn, nbGlobal?.NbCfg, DateTimeOffset.UtcNow, changes, translateMs, applyMs);
            status = status with
            {
                State = refused.Count > 0 ? "refused" : "applied",
                Error = null,
                LastApplied = applied,
                Counts = translation.Counts,
                Untranslated = [.. translation.Untranslated, .. refused],
            };
            if (changes > 0 || refused.Count > 0)
            {
                LogApplied(logger, changes, translation.Graph.Modules.Count, translation.Untranslated.Count + refused.Count, translateMs, applyMs);
            }
            await AcknowledgeAsync(nbGlobal, stop);
            return refused.Count > 0;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            lastTranslated = null;
            status = status with
            {
                State = "failed",
                Error = e.Message,
                Counts = translation?.Counts ?? status.Counts,
                Untranslated = translation?.Untranslated ?? status.Untranslated,
            };
            LogApplyFailed(logger, options.RetryInterval.TotalSeconds, e);
            return true;
        }
    }

    /// <summary>Applies the graph, taking out what the target refuses until it takes the rest.</summary>
    private async Task<int> ApplyAsync(DesiredGraph graph, List<UntranslatedRow> refused, CancellationToken stop)
    {
        for (var round = 0; round < MaxRefusalRounds; round++)
        {
            var outcome = await target.ApplyAsync(graph, stop);
            if (outcome.Rejections.Count == 0)
            {
                return outcome.Changes;
            }
            graph = RejectedItems.Remove(graph, outcome.Rejections, refused);
        }
        throw new InvalidOperationException($"Hover still refused the graph after {MaxRefusalRounds} rounds of taking out what it named");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following OVN northbound {Northbound} and Open_vSwitch {OpenVswitch}")]
    private static partial void LogStarted(ILogger logger, string northbound, string openVswitch);

    [LoggerMessage(Level = LogLevel.Information, Message = "OVN graph applied: {Changes} changes, {Modules} modules, {Untranslated} rows left out (translate {TranslateMs:0.0} ms, apply {ApplyMs:0.0} ms)")]
    private static partial void LogApplied(ILogger logger, int changes, int modules, int untranslated, double translateMs, double applyMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "The OVN graph could not be applied; trying again in {Seconds} s")]
    private static partial void LogApplyFailed(ILogger logger, double seconds, Exception e);

    private static OvnDatabaseStatus NotConfigured(IReadOnlyList<string> remotes) => new(remotes, null, false, null, 0);
}
