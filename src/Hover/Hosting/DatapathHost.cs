using IoVisor.Hover.Graph;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.Hosting;

/// <summary>Adopts the pinned datapath at start and runs housekeeping. Stopping the daemon
/// detaches nothing: the datapath keeps forwarding without it.</summary>
internal sealed partial class DatapathHost(GraphService graph, IOptions<HoverOptions> options, ILogger<DatapathHost> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await graph.AdoptAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.MaintenanceSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await graph.MaintainAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogMaintenanceFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Housekeeping failed")]
    private static partial void LogMaintenanceFailed(ILogger logger, Exception e);
}
