using IoVisor.OvnBridge.Service;

namespace IoVisor.Hover.Ovn;

/// <summary>Runs the OVN bridge with the daemon, after the datapath was adopted (hosted services
/// start in order). Stopping the daemon leaves the graph as it is.</summary>
internal sealed class OvnBridgeHost(OvnBridgeService bridge) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => bridge.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await bridge.DisposeAsync();
}
