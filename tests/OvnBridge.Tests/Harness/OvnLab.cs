using System.Text.Json.Nodes;

namespace IoVisor.OvnBridge.Tests.Harness;

/// <summary>A northbound and an Open_vSwitch ovsdb-server, a hoverd following them, and the VM
/// namespaces a test binds; torn down together (hoverd first, so its pins go before the netdevs).</summary>
internal sealed class OvnLab : IAsyncDisposable
{
    private readonly List<VmNamespace> vms = [];

    private OvnLab(OvsdbServer nb, OvsdbServer ovs, HoverdProcess hoverd)
    {
        Nb = nb;
        Ovs = ovs;
        Hoverd = hoverd;
    }

    public OvsdbServer Nb { get; }

    public OvsdbServer Ovs { get; }

    public HoverdProcess Hoverd { get; }

    public static async Task<OvnLab> StartAsync()
    {
        var nb = await OvsdbServer.StartNorthboundAsync();
        OvsdbServer? ovs = null;
        try
        {
            ovs = await OvsdbServer.StartOpenVswitchAsync();
            await ovs.VsctlAsync("add-br", "br-int");
            return new OvnLab(nb, ovs, await HoverdProcess.StartAsync(nb.Remote, ovs.Remote));
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

    /// <summary>A namespace whose veth is bound to logical port <paramref name="port"/>.</summary>
    public async Task<VmNamespace> AddVmAsync(string port, string mac, string cidr, string gateway, bool bind = true)
    {
        var vm = await VmNamespace.CreateAsync(mac, cidr, gateway);
        vms.Add(vm);
        if (bind)
        {
            await BindAsync(vm.Netdev, port);
        }
        return vm;
    }

    public Task BindAsync(string netdev, string port) =>
        Ovs.VsctlAsync("add-port", "br-int", netdev, "--", "set", "Interface", netdev, $"external_ids:iface-id={port}");

    /// <summary>ovn-nbctl --wait=hv: returns once hoverd has the change in the datapath.</summary>
    public Task<string> NbctlWaitAsync(params string[] args) => Nb.NbctlAsync(["--wait=hv", .. args]);

    public async Task<JsonObject> StatusAsync() => (await Hoverd.GetAsync("ovn/status")).AsObject();

    /// <summary>Waits until the ovn chain links <paramref name="netdev"/>.</summary>
    public Task LinkedAsync(string netdev) =>
        Eventually.TrueAsync(
            async () => (await Hoverd.GetAsync("links")).AsArray().Any(l => (string?)l!["to"] == $"netdev:{netdev}"),
            () => $"a link to {netdev}\n{Hoverd.Output}",
            TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        await Hoverd.DisposeAsync();
        foreach (var vm in vms)
        {
            vm.Dispose();
        }
        await Nb.DisposeAsync();
        await Ovs.DisposeAsync();
    }
}
