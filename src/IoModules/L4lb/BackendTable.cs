using System.Text.Json.Nodes;

namespace IoVisor.IoModules.L4lb;

/// <summary>The backends over REST, keyed "tcp 10.0.0.100:80 10.0.2.11:8080". Writing one again
/// changes its weight or health; an entry shows the Maglev slots it holds (its share of new
/// connections: 0 when drained or unhealthy).</summary>
internal sealed class BackendTable(ServicePool pool) : IModuleTable
{
    public IReadOnlyList<JsonObject> List() =>
        pool.Services.Values.SelectMany(s => s.Backends.Values).Select(ToJson).ToList();

    public JsonObject? Get(string key)
    {
        var (service, address, port) = ParseKey(key);
        return pool.Services.TryGetValue(service, out var s) && s.Backends.TryGetValue(BackendSpec.NameOf(address, port), out var b)
            ? ToJson(b)
            : null;
    }

    public JsonObject Put(string? key, JsonObject entry) => pool.PutBackend(BackendSpec.Parse(key, entry, pool.SpecOf)).Spec.ToJson();

    public bool Delete(string key)
    {
        var (service, address, port) = ParseKey(key);
        return pool.DeleteBackend(service, BackendSpec.NameOf(address, port));
    }

    public int Flush()
    {
        var backends = pool.Services.Values.SelectMany(s => s.Backends.Values).ToList();
        return backends.Count(b => pool.DeleteBackend(b.Spec.Service, b.Spec.Name));
    }

    private static (ServiceKey, Ipv4Address, ushort) ParseKey(string key) => BackendSpec.TryParseKey(key, out var k)
        ? k
        : throw new ConfigException("key", $"must be a backend like \"tcp 10.0.0.100:80 10.0.2.11:8080\" ({BackendSpec.Format})");

    private static JsonObject ToJson(PooledBackend backend)
    {
        var json = backend.Spec.ToJson();
        json["slots"] = (long)backend.Slots;
        return json;
    }
}
