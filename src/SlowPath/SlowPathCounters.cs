using System.Collections.Concurrent;

namespace IoVisor.SlowPath;

/// <summary>What the slow path did for one module. Written by the slow-path thread, read by the
/// API: every counter is updated atomically.</summary>
public sealed class SlowPathCounters
{
    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.Ordinal);

    public void Punted(string reason) => Add($"punted.{reason}");

    public void Injected() => Add("injected");

    public void Held() => Add("held");

    public void Released(int count) => Add("released", count);

    public void Dropped(string reason, int count = 1) => Add($"dropped.{reason}", count);

    /// <summary>Counters by name ("punted.arpMiss", "held", "dropped.holdQueueFull", ...), sorted.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() =>
        new SortedDictionary<string, long>(_values.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);

    private void Add(string name, long count = 1) => _values.AddOrUpdate(name, count, (_, v) => v + count);
}
