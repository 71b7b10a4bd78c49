using IoVisor.OvnBridge.Service;
using Microsoft.Extensions.Options;

namespace IoVisor.OvnBridge.Tests.Harness;

/// <summary>A northbound and an Open_vSwitch server, and an <see cref="OvnBridgeService"/> following
/// them into a <see cref="RecordingTarget"/>; all torn down together.</summary>
internal sealed class BridgeUnderTest : IAsyncDisposable
{
    private BridgeUnderTest(OvsdbServer nb, OvsdbServer ovs, RecordingTarget target, OvnBridgeService service)
    {
        Nb = nb;
        Ovs = ovs;
        Target = target;
        Service = service;
    }

    public OvsdbServer Nb { get; }

    public OvsdbServer Ovs { get; }

    public RecordingTarget Target { get; }

    public OvnBridgeService Service { get; }

    public static async Task<BridgeUnderTest> StartAsync(ITestOutputHelper output, Action<OvnBridgeOptions>? configure = null)
    {
        var nb = await OvsdbServer.StartNorthboundAsync();
        OvsdbServer? ovs = null;
        try
        {
            ovs = await OvsdbServer.StartOpenVswitchAsync();
            await ovs.VsctlAsync("add-br", "br-int");
            var options = new OvnBridgeOptions
            {
                Northbound = nb.Remote,
                OpenVswitch = ovs.Remote,
                RetryInterval = TimeSpan.FromMilliseconds(200),
            };
            configure?.Invoke(options);
            var target = new RecordingTarget();
            var service = new OvnBridgeService(Options.Create(options), target, new TestLoggers(output));
            await service.StartAsync(CancellationToken.None);
            return new BridgeUnderTest(nb, ovs, target, service);
        }
        catch
        {
            await nb.DisposeAsync();
            if (ovs is not null)
            {
                await ovs.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>Binds logical port <paramref name="port"/> to the interface <paramref name="netdev"/>, as a hypervisor would.</summary>
    public Task BindAsync(string netdev, string port) =>
        Ovs.VsctlAsync("add-port", "br-int", netdev, "--", "set", "Interface", netdev, $"external_ids:iface-id={port}");

    /// <summary>Waits for an applied graph that satisfies <paramref name="condition"/>.</summary>
    public async Task<Model.DesiredGraph> GraphAsync(Func<Model.DesiredGraph, bool> condition, string what)
    {
        await Eventually.TrueAsync(() => Target.Last is { } g && condition(g),
            () => $"{what}; last graph: {Target.Last?.Describe() ?? "none"}; status: {Service.Status.State} {Service.Status.Error}");
        return Target.Last!;
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Nb.DisposeAsync();
        await Ovs.DisposeAsync();
    }
}
