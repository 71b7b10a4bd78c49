using System.Text.Json.Nodes;
using IoVisor.Bpf;
using IoVisor.IoModules.Custom.Btf;

namespace IoVisor.IoModules.Custom;

/// <summary>
/// One map of a custom module as a table. Entries are <c>{"key": hex, "value": hex}</c> in the map's own
/// bytes (per-CPU maps: <c>"values"</c>, one hex string per possible CPU), with <c>"keyJson"</c> and
/// <c>"valueJson"</c> (<c>"valuesJson"</c>) when the object's BTF describes the types. Writes take the hex
/// forms; the JSON ones are what a read shows and are ignored on input. An array map has every index:
/// deleting an entry, or flushing, zeroes values. Runtime state, like the map itself: not persisted.
/// </summary>
internal sealed class RawMapTable : IModuleTable
{
    private const string SharedPrefix = "hover_";

    private static readonly Dictionary<BpfMapType, string> Exposed = new()
    {
        [BpfMapType.Hash] = "hash",
        [BpfMapType.Array] = "array",
        [BpfMapType.PerCpuHash] = "percpu_hash",
        [BpfMapType.PerCpuArray] = "percpu_array",
        [BpfMapType.LruHash] = "lru_hash",
        [BpfMapType.LruPerCpuHash] = "lru_percpu_hash",
        [BpfMapType.LpmTrie] = "lpm_trie",
    };

    private readonly BpfMap _map;
    private readonly BtfJson? _btf;

    public RawMapTable(BpfMap map, BtfJson? btf)
    {
        _map = map;
        _btf = btf;
        var perCpu = map.IsPerCpu ? $", one per CPU ({BpfMap.PossibleCpus})" : "";
        Info = new TableInfo(map.Name,
            $"{Exposed[map.Type]} map: {map.KeySize}-byte keys, {map.ValueSize}-byte values{perCpu}, up to {map.MaxEntries} entries",
            $"<{map.KeySize} bytes as hex>", Writable: true, Persistent: false);
    }

    public TableInfo Info { get; }

    /// <summary>The module's own maps that hold keys and values: not the shared hover_* maps, not the
    /// .rodata/.bss/.data of global variables (libbpf names them with a dot), not program arrays, ring
    /// buffers or other maps without plain entries.</summary>
    public static bool Exposes(BpfMap map) =>
        !map.Name.StartsWith(SharedPrefix, StringComparison.Ordinal) && !map.Name.Contains('.') && Exposed.ContainsKey(map.Type);

    private bool IsArray => _map.Type is BpfMapType.Array or BpfMapType.PerCpuArray;

    public IReadOnlyList<JsonObject> List() => _map.Keys().Select(Entry).OfType<JsonObject>().ToList();

    public JsonObject? Get(string key)
    {
        var errors = new ConfigErrors();
        var bytes = HexOf(key, _map.KeySize, "key", errors);
        errors.ThrowIfAny();
        return Entry(bytes);
    }

    public JsonObject Put(string? key, JsonObject entry)
    {
        var errors = new ConfigErrors();
        var reader = new ConfigReader(entry, errors);
        reader.RejectUnknown("key", "value", "values", "keyJson", "valueJson", "valuesJson");
        var bodyKey = reader.Text("key", null);
        errors.ThrowIfAny();
        var keyText = bodyKey ?? key;
        if (keyText is null)
        {
            throw new ConfigException("key", $"is required: {_map.KeySize} bytes as hex");
        }
        var keyBytes = HexOf(keyText, _map.KeySize, "key", errors);
        if (key is not null && bodyKey is not null && !errors.Any && !keyBytes.AsSpan().SequenceEqual(HexOf(key, _map.KeySize, "key", errors)))
        {
            errors.Add("key", $"differs from the key in the URL ({key})");
        }
        var value = ValueOf(reader, entry, errors);
        errors.ThrowIfAny();
        try
        {
            _map.Update(keyBytes, value);
        }
        catch (BpfException e)
        {
            throw new ConfigException("key", $"the kernel refused the entry: {e.Message}");
        }
        return Entry(keyBytes) ?? throw new ConfigException("key", "the entry was written but is gone (an LRU map evicted it)");
    }

    public bool Delete(string key)
    {
        var errors = new ConfigErrors();
        var bytes = HexOf(key, _map.KeySize, "key", errors);
        errors.ThrowIfAny();
        if (!IsArray)
        {
            return _map.Delete(bytes);
        }
        if (BitConverter.ToUInt32(bytes) >= (uint)_map.MaxEntries)
        {
            return false;
        }
        _map.Update(bytes, new byte[_map.ValueBufferSize]);
        return true;
    }

    public int Flush()
    {
        var keys = _map.Keys().ToList();
        foreach (var key in keys)
        {
            if (IsArray)
            {
                _map.Update(key, new byte[_map.ValueBufferSize]);
            }
            else
            {
                _map.Delete(key);
            }
        }
        return keys.Count;
    }

    /// <summary>The entry under <paramref name="key"/>; null when the map has none (or lost it meanwhile).</summary>
    private JsonObject? Entry(byte[] key)
    {
        var buffer = new byte[_map.ValueBufferSize];
        if (!_map.TryLookup(key, buffer))
        {
            return null;
        }
        var entry = new JsonObject { ["key"] = Convert.ToHexStringLower(key) };
        List<Memory<byte>> values = _map.IsPerCpu
            ? Enumerable.Range(0, BpfMap.PossibleCpus).Select(cpu => buffer.AsMemory(cpu * _map.PerCpuSlotSize, _map.ValueSize)).ToList()
            : [buffer.AsMemory()];
        if (_map.IsPerCpu)
        {
            entry["values"] = new JsonArray(values.Select(v => (JsonNode?)Convert.ToHexStringLower(v.Span)).ToArray());
        }
        else
        {
            entry["value"] = Convert.ToHexStringLower(buffer);
        }
        if (_btf is null)
        {
            return entry;
        }
        if (_map.BtfKeyTypeId != 0 && _btf.Format(_map.BtfKeyTypeId, key) is { } keyJson)
        {
            entry["keyJson"] = keyJson;
        }
        if (_map.BtfValueTypeId != 0)
        {
            var formatted = values.Select(v => _btf.Format(_map.BtfValueTypeId, v.Span)).ToList();
            if (formatted.All(v => v is not null))
            {
                if (_map.IsPerCpu)
                {
                    entry["valuesJson"] = new JsonArray(formatted.ToArray());
                }
                else
                {
                    entry["valueJson"] = formatted[0];
                }
            }
        }
        return entry;
    }

    /// <summary>The bytes to write: "value" for every CPU, or per-CPU maps' "values", one per CPU.</summary>
    private byte[] ValueOf(ConfigReader reader, JsonObject entry, ConfigErrors errors)
    {
        var buffer = new byte[_map.ValueBufferSize];
        var single = reader.Text("value", null);
        if (entry["values"] is null)
        {
            if (single is null)
            {
                errors.Add("value", $"is required: {_map.ValueSize} bytes as hex");
                return buffer;
            }
            var value = HexOf(single, _map.ValueSize, "value", errors);
            var slots = _map.IsPerCpu ? BpfMap.PossibleCpus : 1;
            for (var cpu = 0; cpu < slots && !errors.Any; cpu++)
            {
                value.CopyTo(buffer, cpu * _map.PerCpuSlotSize);
            }
            return buffer;
        }
        if (!_map.IsPerCpu)
        {
            errors.Add("values", "only per-CPU maps take a value per CPU; give value");
            return buffer;
        }
        if (single is not null)
        {
            errors.Add("values", "give value (the same on every CPU) or values, not both");
            return buffer;
        }
        var values = reader.Texts("values");
        if (values.Count != BpfMap.PossibleCpus)
        {
            errors.Add("values", $"must hold {BpfMap.PossibleCpus} values, one per possible CPU");
            return buffer;
        }
        for (var cpu = 0; cpu < values.Count; cpu++)
        {
            HexOf(values[cpu], _map.ValueSize, $"values[{cpu}]", errors).CopyTo(buffer, cpu * _map.PerCpuSlotSize);
        }
        return buffer;
    }

    /// <summary>Exactly <paramref name="size"/> bytes written as hex digits (an optional 0x in front); zeros and
    /// an error under <paramref name="field"/> otherwise.</summary>
    private static byte[] HexOf(string text, int size, string field, ConfigErrors errors)
    {
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (digits.Length != size * 2 || !digits.All(char.IsAsciiHexDigit))
        {
            errors.Add(field, $"must be {size} bytes as hex ({size * 2} hex digits), in the map's byte order");
            return new byte[size];
        }
        return Convert.FromHexString(digits);
    }
}
