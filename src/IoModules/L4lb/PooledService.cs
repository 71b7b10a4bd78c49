using System.Collections.Immutable;

namespace IoVisor.IoModules.L4lb;

/// <summary>A service as the balancer has it: what was written, the index of its Maglev table and
/// stats slot, and its backends by name (address:port).</summary>
internal sealed record PooledService(ServiceSpec Spec, uint Index, ImmutableSortedDictionary<string, PooledBackend> Backends)
{
    public static PooledService Empty(ServiceSpec spec, uint index) =>
        new(spec, index, ImmutableSortedDictionary.Create<string, PooledBackend>(StringComparer.Ordinal));

    public int UsableBackends => Backends.Values.Count(b => b.Spec.Usable);
}

/// <summary>A backend as the balancer has it: what was written, its id in lb_backends, and the
/// Maglev slots it holds now (its share of new connections).</summary>
internal sealed record PooledBackend(BackendSpec Spec, uint Id, int Slots);
