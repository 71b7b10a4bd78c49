using IoVisor.Hover.Graph;
using IoVisor.Hover.Kernel;
using IoVisor.SlowPath;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.Hosting;

/// <summary>Runs the punt consumer for the daemon's life.</summary>
internal sealed class SlowPathHost(PatchPanel panel, InjectionDevice device, GraphService graph, IOptions<HoverOptions> options, ILogger<SlowPathHost> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    public PuntDispatcher Dispatcher { get; } = new(graph, new FrameInjector(device.Open),
        new ArpHoldQueue(options.Value.MaxHeldPackets, options.Value.MaxHeldNextHops));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new PuntConsumer(panel.Punt, Dispatcher, logger).Start(_stop.Token);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(2));
        return Task.CompletedTask;
    }

    public void Dispose() => _stop.Dispose();
}
