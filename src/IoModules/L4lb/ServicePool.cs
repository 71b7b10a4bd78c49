using System.Collections.Immutable;

namespace IoVisor.IoModules.L4lb;

/// <summary>
/// The services and backends of one balancer and the kernel tables they make. There is one writer
/// (the daemon serializes changes and housekeeping); readers take <see cref="Services"/>, replaced
/// once a change is in the kernel. Every check is made before the first kernel write. The ids and
/// indexes the kernel holds when the pool is made are taken up again by the same services and
/// backends, so that after a daemon restart re-applying the desired state moves no connection.
/// </summary>
internal sealed class ServicePool
{
    private static readonly ImmutableSortedDictionary<ServiceKey, PooledService> None =
        ImmutableSortedDictionary.Create<ServiceKey, PooledService>();

    private readonly L4lbMaps _maps;
    // The Maglev table of each service as last written; missing when the kernel's is not known.
    private readonly Dictionary<uint, uint[]> _written = [];
    // What the kernel held at start and no desired state has claimed yet.
    private readonly Dictionary<ServiceKey, uint> _adoptedServices = [];
    private readonly Dictionary<(uint Service, uint Addr, ushort Port), uint> _adoptedBackends = [];
    private ImmutableSortedDictionary<ServiceKey, PooledService> _services = None;
    private int _tableSize = MaglevTable.DefaultSize;

    public ServicePool(L4lbMaps maps)
    {
        _maps = maps;
        foreach (var (key, service) in maps.Services.Entries())
        {
            _adoptedServices[ServiceKey.FromKernel(key)] = service.Index;
        }
        for (uint id = 1; id < L4lbAbi.MaxBackends; id++)
        {
            if (maps.Backends.TryLookup(id, out var b) && b.Addr != 0)
            {
                _adoptedBackends[(b.Service, b.Addr, b.Port)] = id;
            }
        }
    }

    public ImmutableSortedDictionary<ServiceKey, PooledService> Services => Volatile.Read(ref _services);

    public ServiceSpec? SpecOf(ServiceKey key) => Services.TryGetValue(key, out var s) ? s.Spec : null;

    public PooledService PutService(ServiceSpec spec)
    {
        if (_services.TryGetValue(spec.Key, out var current))
        {
            if (spec.Mode == LbMode.Dsr && current.Backends.Values.Where(b => b.Spec.Mac is null || b.Spec.Port != spec.Key.Port).ToList() is { Count: > 0 } unfit)
            {
                throw new ConfigException("mode", $"dsr needs a mac and the service's port on every backend; not so for {string.Join(", ", unfit.Select(b => b.Spec.Name))}");
            }
            var changed = current with { Spec = spec };
            _maps.WriteService(spec, current.Index, _tableSize);
            return Publish(changed);
        }
        var adopted = _adoptedServices.Remove(spec.Key, out var index);
        if (!adopted)
        {
            var used = _services.Values.Select(s => s.Index).Concat(_adoptedServices.Values).ToHashSet();
            index = Enumerable.Range(0, L4lbAbi.MaxServices).Select(i => (uint)i).FirstOrDefault(i => !used.Contains(i), uint.MaxValue);
            if (index == uint.MaxValue)
            {
                throw new ConfigException("key", $"a load balancer has at most {L4lbAbi.MaxServices} services");
            }
            // A fresh index may hold the table and counters of a service deleted before.
            var empty = new uint[_tableSize];
            _maps.WriteTable(index, empty, null);
            _written[index] = empty;
            _maps.ZeroStats(index);
        }
        _maps.WriteService(spec, index, _tableSize);
        return Publish(PooledService.Empty(spec, index));
    }

    /// <summary>Deletes a service that has no backends left.</summary>
    public bool DeleteService(ServiceKey key)
    {
        if (!_services.TryGetValue(key, out var service))
        {
            return false;
        }
        if (service.Backends.Count > 0)
        {
            throw new ConfigException("key", $"service {key} has {service.Backends.Count} backends; delete them first");
        }
        _maps.Services.Delete(key.ToKernel());
        _written.Remove(service.Index);
        Volatile.Write(ref _services, _services.Remove(key));
        return true;
    }

    public PooledBackend PutBackend(BackendSpec spec)
    {
        var service = _services[spec.Service];
        uint id;
        if (service.Backends.TryGetValue(spec.Name, out var current))
        {
            id = current.Id;
        }
        else if (!_adoptedBackends.Remove((service.Index, spec.Address.ToKernel(), ServiceKey.Network(spec.Port)), out id))
        {
            var used = _services.Values.SelectMany(s => s.Backends.Values).Select(b => b.Id).Concat(_adoptedBackends.Values).ToHashSet();
            id = Enumerable.Range(1, L4lbAbi.MaxBackends - 1).Select(i => (uint)i).FirstOrDefault(i => !used.Contains(i), 0u);
            if (id == 0)
            {
                throw new ConfigException("key", $"a load balancer has at most {L4lbAbi.MaxBackends - 1} backends");
            }
        }
        // The backend is in lb_backends before any Maglev slot names it.
        _maps.WriteBackend(id, spec, service.Index);
        var rebuilt = Rebuild(service with { Backends = service.Backends.SetItem(spec.Name, new PooledBackend(spec, id, 0)) });
        return rebuilt.Backends[spec.Name];
    }

    public bool DeleteBackend(ServiceKey serviceKey, string name)
    {
        if (!_services.TryGetValue(serviceKey, out var service) || !service.Backends.TryGetValue(name, out var backend))
        {
            return false;
        }
        // Out of the Maglev table first, so that no new connection picks an id about to be cleared.
        Rebuild(service with { Backends = service.Backends.Remove(name) });
        _maps.ClearBackend(backend.Id);
        return true;
    }

    /// <summary>Every service's table at a new size; a service takes the new size only once its
    /// table of that size is written.</summary>
    public void Resize(int size)
    {
        if (size == _tableSize)
        {
            return;
        }
        _tableSize = size;
        foreach (var service in _services.Values)
        {
            Rebuild(service);
            _maps.WriteService(service.Spec, service.Index, size);
        }
    }

    /// <summary>Forgets what the kernel held at start that no desired state claimed, and writes
    /// the tables whose kernel content is not known.</summary>
    public void Tidy()
    {
        foreach (var key in _adoptedServices.Keys)
        {
            _maps.Services.Delete(key.ToKernel());
        }
        _adoptedServices.Clear();
        foreach (var id in _adoptedBackends.Values)
        {
            _maps.ClearBackend(id);
        }
        _adoptedBackends.Clear();
        foreach (var service in _services.Values.Where(s => !_written.ContainsKey(s.Index)))
        {
            Rebuild(service);
        }
    }

    /// <summary>Writes the service's Maglev table from its usable backends (only the slots that
    /// change) and publishes it with each backend's share.</summary>
    private PooledService Rebuild(PooledService service)
    {
        var table = MaglevTable.Build(
            service.Backends.Values.Where(b => b.Spec.Healthy).Select(b => new MaglevBackend(b.Spec.Name, b.Spec.Weight, b.Id)),
            _tableSize);
        _maps.WriteTable(service.Index, table, _written.GetValueOrDefault(service.Index));
        _written[service.Index] = table;
        var slots = table.CountBy(id => id).ToDictionary();
        var backends = service.Backends.ToImmutableSortedDictionary(
            b => b.Key, b => b.Value with { Slots = slots.GetValueOrDefault(b.Value.Id) }, StringComparer.Ordinal);
        return Publish(service with { Backends = backends });
    }

    private PooledService Publish(PooledService service)
    {
        Volatile.Write(ref _services, _services.SetItem(service.Spec.Key, service));
        return service;
    }
}
