using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IoVisor.Bpf;

/// <summary>
/// A typed view over a <see cref="BpfMap"/>: keys and values are blittable structs laid out
/// like the C side (fixed-width fields, explicit padding). The sizes are checked once here.
/// </summary>
public sealed class BpfMap<TKey, TValue>
    where TKey : unmanaged
    where TValue : unmanaged
{
    private const int DefaultBatchSize = 256;

    public BpfMap(BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (Unsafe.SizeOf<TKey>() != map.KeySize || Unsafe.SizeOf<TValue>() != map.ValueSize)
        {
            throw new ArgumentException(
                $"Map '{map.Name}' has {map.KeySize}-byte keys and {map.ValueSize}-byte values; " +
                $"{typeof(TKey).Name} is {Unsafe.SizeOf<TKey>()} and {typeof(TValue).Name} is {Unsafe.SizeOf<TValue>()} bytes.",
                nameof(map));
        }

        Map = map;
    }

    public BpfMap Map { get; }

    public bool TryLookup(in TKey key, out TValue value)
    {
        RequireSingleValue();
        value = default;
        return Map.TryLookup(AsBytes(in key), MemoryMarshal.AsBytes(new Span<TValue>(ref value)));
    }

    public void Update(in TKey key, in TValue value, BpfUpdateFlags flags = BpfUpdateFlags.Any)
    {
        RequireSingleValue();
        Map.Update(AsBytes(in key), AsBytes(in value), flags);
    }

    /// <summary>Deletes a key; false when it was not there.</summary>
    public bool Delete(in TKey key) => Map.Delete(AsBytes(in key));

    public IEnumerable<TKey> Keys() => Map.Keys().Select(key => MemoryMarshal.Read<TKey>(key));

    /// <summary>Every entry; keys deleted between listing and lookup are skipped.</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Entries()
    {
        foreach (TKey key in Keys())
        {
            if (TryLookup(in key, out TValue value))
            {
                yield return new(key, value);
            }
        }
    }

    /// <summary>One value per possible CPU (index = CPU number), unpacked from the kernel's 8-byte aligned slots.</summary>
    public TValue[] LookupPerCpu(in TKey key)
    {
        RequirePerCpu();
        var buffer = new byte[Map.ValueBufferSize];
        if (!Map.TryLookup(AsBytes(in key), buffer))
        {
            throw new KeyNotFoundException($"Map '{Map.Name}' has no such key.");
        }

        var values = new TValue[BpfMap.PossibleCpus];
        for (int cpu = 0; cpu < values.Length; cpu++)
        {
            values[cpu] = MemoryMarshal.Read<TValue>(buffer.AsSpan(cpu * Map.PerCpuSlotSize));
        }

        return values;
    }

    /// <summary>Sets every CPU's value; <paramref name="values"/> has one per possible CPU.</summary>
    public void UpdatePerCpu(in TKey key, ReadOnlySpan<TValue> values, BpfUpdateFlags flags = BpfUpdateFlags.Any)
    {
        RequirePerCpu();
        if (values.Length != BpfMap.PossibleCpus)
        {
            throw new ArgumentException($"Per-CPU map '{Map.Name}' needs {BpfMap.PossibleCpus} values (one per possible CPU), got {values.Length}.", nameof(values));
        }

        var buffer = new byte[Map.ValueBufferSize];
        for (int cpu = 0; cpu < values.Length; cpu++)
        {
            MemoryMarshal.Write(buffer.AsSpan(cpu * Map.PerCpuSlotSize), in values[cpu]);
        }

        Map.Update(AsBytes(in key), buffer, flags);
    }

    /// <summary>Reads the whole map a batch at a time (Linux 5.6+; <see cref="BpfNotSupportedException"/> otherwise).</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> LookupBatch(int batchSize = DefaultBatchSize)
    {
        RequireSingleValue();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var cursor = new BpfMapBatchCursor();
        var keys = new TKey[batchSize];
        var values = new TValue[batchSize];
        while (!cursor.IsFinished)
        {
            int count = Map.LookupBatch(cursor, MemoryMarshal.AsBytes(keys.AsSpan()), MemoryMarshal.AsBytes(values.AsSpan()));
            for (int i = 0; i < count; i++)
            {
                yield return new(keys[i], values[i]);
            }
        }
    }

    /// <summary>Writes keys[i] → values[i] in one call; returns how many were written.</summary>
    public int UpdateBatch(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values, BpfUpdateFlags flags = BpfUpdateFlags.Any)
    {
        RequireSingleValue();
        return Map.UpdateBatch(MemoryMarshal.AsBytes(keys), MemoryMarshal.AsBytes(values), flags);
    }

    /// <summary>Deletes the keys in one call; a missing key fails it (ENOENT).</summary>
    public int DeleteBatch(ReadOnlySpan<TKey> keys) => Map.DeleteBatch(MemoryMarshal.AsBytes(keys));

    /// <summary>Deletes every key. Only for maps with deletable keys (hash, LRU, LPM trie), not arrays.</summary>
    public void Clear()
    {
        if (Map.Type is BpfMapType.Array or BpfMapType.PerCpuArray or BpfMapType.ProgArray or BpfMapType.DevMap)
        {
            throw new InvalidOperationException($"Map '{Map.Name}' is a {Map.Type}: its entries always exist and cannot be deleted.");
        }

        // List first: deleting while walking with get-next-key restarts the walk.
        foreach (byte[] key in Map.Keys().ToList())
        {
            Map.Delete(key);
        }
    }

    private static ReadOnlySpan<byte> AsBytes<T>(in T value)
        where T : unmanaged => MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));

    private void RequireSingleValue()
    {
        if (Map.IsPerCpu)
        {
            throw new InvalidOperationException($"Map '{Map.Name}' is per-CPU: use LookupPerCpu / UpdatePerCpu.");
        }
    }

    private void RequirePerCpu()
    {
        if (!Map.IsPerCpu)
        {
            throw new InvalidOperationException($"Map '{Map.Name}' is a {Map.Type}, not a per-CPU map.");
        }
    }
}
