using System.Runtime.InteropServices;
using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>
/// A BPF map: either a borrowed view of a map in a <see cref="BpfObject"/> (valid while the
/// object is open) or an owned map opened from a pin or an fd (disposing closes the fd).
/// Keys and values are raw bytes of exactly <see cref="KeySize"/> and
/// <see cref="ValueBufferSize"/>; <see cref="BpfMap{TKey,TValue}"/> adds typing.
/// </summary>
public sealed unsafe partial class BpfMap : IDisposable
{
    private static readonly Lazy<int> PossibleCpuCount = new(() =>
        Native.Check(LibBpf.libbpf_num_possible_cpus(), "libbpf_num_possible_cpus"));

    private readonly BpfObject? _owner;
    private readonly SafeBpfFd? _fd;
    private readonly BpfMapInfo _info;
    private nint _native;
    private string? _pinPath;
    private string? _manualPinPath;

    internal BpfMap(BpfObject owner, nint native)
    {
        _owner = owner;
        _native = native;
        Name = Marshal.PtrToStringUTF8(LibBpf.bpf_map__name(native)) ?? "";
    }

    private BpfMap(SafeBpfFd fd)
    {
        _fd = fd;
        _info = KernelObjects.MapInfo(fd.Fd);
        Name = _info.NameString;
    }

    /// <summary>CPUs a per-CPU map holds a value for (possible, not online, CPUs).</summary>
    public static int PossibleCpus => PossibleCpuCount.Value;

    /// <summary>The map's name in the object; for an owned map, the kernel's (at most 15 characters).</summary>
    public string Name { get; }

    public BpfMapType Type => (BpfMapType)(_owner is null ? _info.Type : LibBpf.bpf_map__type(NativeHandle));

    public int KeySize => (int)(_owner is null ? _info.KeySize : LibBpf.bpf_map__key_size(NativeHandle));

    /// <summary>The value size the map was declared with (per CPU, for per-CPU maps).</summary>
    public int ValueSize => (int)(_owner is null ? _info.ValueSize : LibBpf.bpf_map__value_size(NativeHandle));

    public int MaxEntries => (int)(_owner is null ? _info.MaxEntries : LibBpf.bpf_map__max_entries(NativeHandle));

    /// <summary>The BTF type of the keys in the object's BTF (<see cref="BpfObject.RawBtf"/>); 0 when the
    /// map declares none, or for a map opened from a pin or an fd.</summary>
    public uint BtfKeyTypeId => _owner is null ? 0 : LibBpf.bpf_map__btf_key_type_id(NativeHandle);

    /// <summary>The BTF type of the values, as <see cref="BtfKeyTypeId"/>.</summary>
    public uint BtfValueTypeId => _owner is null ? 0 : LibBpf.bpf_map__btf_value_type_id(NativeHandle);

    public bool IsPerCpu => Type is BpfMapType.PerCpuHash or BpfMapType.PerCpuArray
        or BpfMapType.LruPerCpuHash or BpfMapType.PerCpuCgroupStorage;

    /// <summary>
    /// Bytes one lookup or update exchanges with the kernel: <see cref="ValueSize"/>, or for
    /// per-CPU maps one 8-byte aligned slot per possible CPU.
    /// </summary>
    public int ValueBufferSize => IsPerCpu ? PerCpuSlotSize * PossibleCpus : ValueSize;

    /// <summary>Size of one CPU's slot in a per-CPU value buffer: ValueSize rounded up to 8.</summary>
    public int PerCpuSlotSize => (ValueSize + 7) & ~7;

    public int Fd
    {
        get
        {
            if (_fd is not null)
            {
                return _fd.Fd;
            }

            int fd = LibBpf.bpf_map__fd(NativeHandle);
            return fd >= 0 ? fd : throw new InvalidOperationException($"Map '{Name}' has no fd until its object is loaded.");
        }
    }

    /// <summary>libbpf's struct bpf_map* of a borrowed map; throws once the object is disposed.</summary>
    internal nint NativeHandle
    {
        get
        {
            _owner!.ThrowIfDisposed();
            return _native;
        }
    }

    /// <summary>Opens a pinned map; the returned map owns its fd.</summary>
    public static BpfMap OpenPinned(string path)
    {
        SafeBpfFd fd = BpfFs.Get(path);
        try
        {
            KernelObjects.RequireKind(fd, KernelObjects.MapKind, path);
            return new BpfMap(fd);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a map fd and takes ownership of it (use <see cref="SafeBpfFd.Duplicate"/> to keep yours).</summary>
    public static BpfMap FromFd(SafeBpfFd fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        KernelObjects.RequireKind(fd, KernelObjects.MapKind, $"fd {fd.Fd}");
        return new BpfMap(fd);
    }

    /// <summary>Before <see cref="BpfObject.Load"/>: sizes the map other than its definition says. A pinned
    /// map is only reused when its size matches.</summary>
    public void SetMaxEntries(uint maxEntries)
    {
        if (_owner is null || _owner.IsLoaded)
        {
            throw new InvalidOperationException($"SetMaxEntries applies to a map of a BPF object before Load; map '{Name}' is {(_owner is null ? "not part of an object" : "already loaded")}.");
        }
        Native.Check(LibBpf.bpf_map__set_max_entries(NativeHandle, maxEntries), $"bpf_map__set_max_entries(map '{Name}', {maxEntries})");
    }

    /// <summary>
    /// Before <see cref="BpfObject.Load"/>: libbpf reuses the map pinned at <paramref name="path"/>
    /// if one is there (and compatible), otherwise creates the map and pins it there.
    /// </summary>
    public void SetPinPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (_owner is null || _owner.IsLoaded)
        {
            throw new InvalidOperationException($"SetPinPath applies to a map of a BPF object before Load; map '{Name}' is {(_owner is null ? "not part of an object" : "already loaded")}.");
        }

        if (Type is BpfMapType.DevMap or BpfMapType.DevMapHash)
        {
            // The kernel adds BPF_F_RDONLY_PROG to every devmap, so libbpf 1.1's compatibility check
            // refuses to reuse a pinned one; reuse and pin it here instead (see BeforeLoad/AfterLoad).
            _manualPinPath = path;
            return;
        }

        Native.Check(LibBpf.bpf_map__set_pin_path(NativeHandle, path), $"bpf_map__set_pin_path(map '{Name}', {path})");
        _pinPath = path;
    }

    /// <summary>Before each load attempt: hands libbpf the pinned map to reuse, if there is one.</summary>
    internal void BeforeLoad()
    {
        if (_manualPinPath is null || !File.Exists(_manualPinPath))
        {
            return;
        }

        using SafeBpfFd pinned = BpfFs.Get(_manualPinPath);
        Native.Check(LibBpf.bpf_map__reuse_fd(NativeHandle, pinned.Fd), $"bpf_map__reuse_fd(map '{Name}', {_manualPinPath})");
    }

    /// <summary>After a successful load: pins a map that was created rather than reused.</summary>
    internal void AfterLoad()
    {
        if (_manualPinPath is not null && !File.Exists(_manualPinPath))
        {
            Pin(_manualPinPath);
        }
    }

    /// <summary>Pins the map at <paramref name="path"/>, replacing whatever is pinned there.</summary>
    public void Pin(string path) => BpfFs.Pin(Fd, path);

    /// <summary>Removes the pin at <paramref name="path"/>; the map lives on while other fds or pins hold it.</summary>
    public void Unpin(string path) => BpfFs.Unpin(path);

    public bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckKey(key);
        CheckValue(value.Length, nameof(value));
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            int result = LibBpf.bpf_map_lookup_elem(Fd, k, v);
            return result != -Native.ENOENT && Succeeded(result, "bpf_map_lookup_elem");
        }
    }

    public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, BpfUpdateFlags flags = BpfUpdateFlags.Any)
    {
        CheckKey(key);
        CheckValue(value.Length, nameof(value));
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            Succeeded(LibBpf.bpf_map_update_elem(Fd, k, v, (ulong)flags), "bpf_map_update_elem");
        }
    }

    /// <summary>Deletes a key; false when it was not there.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        fixed (byte* k = key)
        {
            int result = LibBpf.bpf_map_delete_elem(Fd, k);
            return result != -Native.ENOENT && Succeeded(result, "bpf_map_delete_elem");
        }
    }

    /// <summary>
    /// The key after <paramref name="key"/> (the first key when <paramref name="key"/> is empty);
    /// false at the end. A key deleted meanwhile restarts hash maps from their first key.
    /// </summary>
    public bool TryGetNextKey(ReadOnlySpan<byte> key, Span<byte> next)
    {
        if (!key.IsEmpty)
        {
            CheckKey(key);
        }

        if (next.Length != KeySize)
        {
            throw new ArgumentException($"Map '{Name}' has {KeySize}-byte keys; the output buffer has {next.Length} bytes.", nameof(next));
        }

        fixed (byte* k = key)
        fixed (byte* n = next)
        {
            int result = LibBpf.bpf_map_get_next_key(Fd, key.IsEmpty ? null : k, n);
            return result != -Native.ENOENT && Succeeded(result, "bpf_map_get_next_key");
        }
    }

    /// <summary>Every key, by get-next-key iteration (not a snapshot: concurrent changes show or not).</summary>
    public IEnumerable<byte[]> Keys()
    {
        byte[] key = [];
        var next = new byte[KeySize];
        while (TryGetNextKey(key, next))
        {
            key = next;
            next = new byte[KeySize];
            yield return key;
        }
    }

    public void Dispose() => _fd?.Dispose();

    /// <summary>After the owning object reopened (verifier log retry): the same map in the new object.</summary>
    internal void Rebind(nint native)
    {
        _native = native;
        if (_pinPath is not null)
        {
            Native.Check(LibBpf.bpf_map__set_pin_path(native, _pinPath), $"bpf_map__set_pin_path(map '{Name}', {_pinPath})");
        }
    }

    internal string Operation(string call) => $"{call}(map '{Name}')";

    /// <summary>True for a non-negative result; throws for -errno. Builds no message on the hot, successful path.</summary>
    internal bool Succeeded(int result, string call) =>
        result >= 0 ? true : throw new BpfException(Operation(call), -result);

    internal void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"Map '{Name}' has {KeySize}-byte keys, got {key.Length} bytes.", nameof(key));
        }
    }

    internal void CheckValue(int length, string parameter)
    {
        if (length != ValueBufferSize)
        {
            string perCpu = IsPerCpu ? $" ({PossibleCpus} CPUs x {PerCpuSlotSize}-byte slots)" : "";
            throw new ArgumentException($"Map '{Name}' exchanges {ValueBufferSize}-byte values{perCpu}, got {length} bytes.", parameter);
        }
    }
}
