using IoVisor.Bpf;

namespace IoVisor.IoModules.Nat;

/// <summary>The map writes of one table change, taken back in reverse when a later write fails (a
/// full map), so that a rule is in the kernel whole or not at all.</summary>
internal sealed class MapEdits
{
    private readonly Stack<Action> _undo = new();

    public void Set<TKey, TValue>(BpfMap<TKey, TValue> map, TKey key, TValue value)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        var had = map.TryLookup(key, out var previous);
        map.Update(key, value);
        _undo.Push(had ? () => map.Update(key, previous) : () => map.Delete(key));
    }

    public void Remove<TKey, TValue>(BpfMap<TKey, TValue> map, TKey key)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        if (map.TryLookup(key, out var previous) && map.Delete(key))
        {
            _undo.Push(() => map.Update(key, previous));
        }
    }

    public void Rollback()
    {
        while (_undo.TryPop(out var undo))
        {
            undo();
        }
    }
}
