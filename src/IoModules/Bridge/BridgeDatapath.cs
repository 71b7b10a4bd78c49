using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.IoModules.Abi;

namespace IoVisor.IoModules.Bridge;

/// <summary>Writes a bridge's config and ports into its maps and serves its FDB.</summary>
internal sealed class BridgeDatapath : IModuleDatapath
{
    private readonly ModuleObject _module;
    private readonly BpfMap<uint, BridgeConfig> _config;
    private readonly BpfMap<uint, BridgePort> _ports;
    private readonly BpfMap<uint, DevmapValue>? _flood;
    private readonly FdbTable _fdb;

    public BridgeDatapath(ModuleObject module)
    {
        _module = module;
        _config = new BpfMap<uint, BridgeConfig>(module.Map("bridge_cfg"));
        _ports = new BpfMap<uint, BridgePort>(module.Map("bridge_ports"));
        _fdb = new FdbTable(new BpfMap<BridgeFdbKey, BridgeFdbEntry>(module.Map("bridge_fdb")), _config, module.Ports);
        if (module.Hook == HookKind.Xdp)
        {
            _flood = new BpfMap<uint, DevmapValue>(module.Map("bridge_flood"));
        }
    }

    public void ApplyConfig(JsonObject config)
    {
        var aging = config["agingSeconds"]!.GetValue<long>();
        _config.Update(0, new BridgeConfig { AgingNs = (ulong)aging * 1_000_000_000UL });
    }

    public void ApplyPort(int index, JsonObject config) =>
        _ports.Update((uint)index, BridgePortConfig.Parse(config).ToKernel());

    public void RemovePort(int index)
    {
        _ports.Update((uint)index, default);
        _fdb.ForgetPort(index);
    }

    public void PeerChanged(int index, PortPeer previous, PortPeer current)
    {
        if (_flood is null)
        {
            return;
        }
        // The flood devmap holds the bridge's netdev ports, each with the egress program that
        // fixes the VLAN tag of its broadcast copy.
        if (previous.Kind == PeerKind.Netdev)
        {
            _flood.Delete((uint)previous.Ifindex);
        }
        if (current.Kind == PeerKind.Netdev)
        {
            var egress = _module.Object.Program("bridge_egress");
            _flood.Update((uint)current.Ifindex, new DevmapValue { Ifindex = (uint)current.Ifindex, ProgFd = egress.Fd });
        }
    }

    public IModuleTable Table(string name) => name == "fdb"
        ? _fdb
        : throw new KeyNotFoundException($"bridge has no table '{name}'");

    public void Maintain() => _fdb.RemoveAged();
}
