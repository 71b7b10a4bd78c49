using System.Text.Json.Nodes;
using IoVisor.IoModules.Custom.Btf;

namespace IoVisor.IoModules.Custom;

/// <summary>
/// A loaded custom module. Its program is its config, so there is nothing to write when the config is
/// applied (a new program is a reload, see <see cref="CustomModuleType.ObjectPathFor"/>) and nothing per
/// port: the program reads md->in_port and sets md->out_port itself. Its tables are its object's maps.
/// </summary>
internal sealed class CustomDatapath : IModuleDatapath
{
    private readonly Dictionary<string, RawMapTable> _tables;

    public CustomDatapath(ModuleObject module)
    {
        var btf = BtfTypes.TryParse(module.Object.RawBtf()) is { } types ? new BtfJson(types) : null;
        _tables = module.Object.Maps.Where(RawMapTable.Exposes)
            .ToDictionary(m => m.Name, m => new RawMapTable(m, btf), StringComparer.Ordinal);
        Tables = _tables.Values.Select(t => t.Info).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<TableInfo> Tables { get; }

    public void ApplyConfig(JsonObject config)
    {
    }

    public void ApplyPort(int index, JsonObject config)
    {
    }

    public void RemovePort(int index)
    {
    }

    public void PeerChanged(int index, PortPeer previous, PortPeer current)
    {
    }

    public IModuleTable Table(string name) =>
        _tables.TryGetValue(name, out var table) ? table : throw new KeyNotFoundException($"this custom module has no map '{name}'");

    public void Maintain()
    {
    }
}
