using IoVisor.IoModules;

namespace IoVisor.Hover.Graph;

/// <summary>The module types this daemon knows, by the "type" users give.</summary>
public sealed class ModuleTypeRegistry(IEnumerable<IModuleType> types)
{
    private readonly Dictionary<string, IModuleType> _types = types.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _types.Keys;

    public IModuleType? Find(string name) => _types.GetValueOrDefault(name);

    public IModuleType Get(string name) => _types[name];
}
