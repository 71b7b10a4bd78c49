using IoVisor.Hover.Kernel;
using IoVisor.SlowPath;

namespace IoVisor.Hover.Hosting;

/// <summary>Runs the punt consumer for the daemon's life.</summary>
internal sealed class SlowPathHost(PatchPanel panel, InjectionDevice device, ILogger<SlowPathHost> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    public FrameInjector Injector { get; } = new(device.Open);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var handlers = new Dictionary<uint, IPuntHandler> { [FloodCopyHandler.Reason] = new FloodCopyHandler(Injector) };
        _thread = new PuntConsumer(panel.Punt, handlers, logger).Start(_stop.Token);
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
