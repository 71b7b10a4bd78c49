using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Transactions;
using IoVisor.OvnBridge.Rows;
using Microsoft.Extensions.Logging;

namespace IoVisor.OvnBridge.Service;

/// <summary>Tells ovn-nbctl --wait that a northbound state is programmed (see
/// <see cref="OvnBridgeOptions.AcknowledgeNbCfg"/>).</summary>
public sealed partial class OvnBridgeService
{
    private async Task AcknowledgeAsync(NbGlobal? global, CancellationToken stop)
    {
        if (!options.AcknowledgeNbCfg || global is null || global.NbCfg == acknowledgedCfg)
        {
            return;
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var row = new Dictionary<string, OvsdbValue>
        {
            ["sb_cfg"] = global.NbCfg,
            ["sb_cfg_timestamp"] = now,
            ["hv_cfg"] = global.NbCfg,
            ["hv_cfg_timestamp"] = now,
        };
        try
        {
            await northbound!.Client.TransactAsync([new UpdateOperation("NB_Global", [OvsdbCondition.Uuid(global.Uuid)], row)], stop);
            acknowledgedCfg = global.NbCfg;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            LogAcknowledgeFailed(logger, global.NbCfg, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not acknowledge nb_cfg {NbCfg} in NB_Global")]
    private static partial void LogAcknowledgeFailed(ILogger logger, long nbCfg, Exception e);
}
