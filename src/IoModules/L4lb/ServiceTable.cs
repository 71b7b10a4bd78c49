using System.Text.Json.Nodes;

namespace IoVisor.IoModules.L4lb;

/// <summary>The services over REST, keyed "tcp 10.0.0.100:80". An entry shows its backends (all,
/// and those new connections may go to) and the counters of its traffic.</summary>
internal sealed class ServiceTable(ServicePool pool, L4lbMaps maps) : IModuleTable
{
    public IReadOnlyList<JsonObject> List() => pool.Services.Values.Select(ToJson).ToList();

    public JsonObject? Get(string key) => pool.Services.TryGetValue(ParseKey(key), out var s) ? ToJson(s) : null;

    public JsonObject Put(string? key, JsonObject entry) => pool.PutService(ServiceSpec.Parse(key, entry)).Spec.ToJson();

    public bool Delete(string key) => pool.DeleteService(ParseKey(key));

    public int Flush()
    {
        var services = pool.Services.Values.ToList();
        if (services.FirstOrDefault(s => s.Backends.Count > 0) is { } busy)
        {
            throw new ConfigException("table", $"service {busy.Spec.Key} has backends; flush the backends table first");
        }
        return services.Count(s => pool.DeleteService(s.Spec.Key));
    }

    private static ServiceKey ParseKey(string key) => ServiceKey.TryParse(key, out var k)
        ? k
        : throw new ConfigException("key", $"must be a service like \"tcp 10.0.0.100:80\" ({ServiceKey.Format})");

    private JsonObject ToJson(PooledService service)
    {
        var json = service.Spec.ToJson();
        json["backends"] = (long)service.Backends.Count;
        json["usableBackends"] = (long)service.UsableBackends;
        var stats = maps.StatsOf(service.Index);
        json["stats"] = new JsonObject
        {
            ["packets"] = stats.Packets,
            ["bytes"] = stats.Bytes,
            ["connections"] = stats.Flows,
            ["noBackendDrops"] = stats.NoBackend,
        };
        return json;
    }
}
