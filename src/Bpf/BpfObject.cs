using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>
/// An ELF BPF object opened by libbpf: open, adjust (pin paths), then <see cref="Load"/>.
/// Owns its maps and programs; <see cref="Maps"/> and <see cref="Programs"/> are borrowed views
/// that throw <see cref="ObjectDisposedException"/> once the object is disposed. Not thread-safe.
/// </summary>
public sealed unsafe class BpfObject : IDisposable
{
    private readonly string? _path;
    private readonly byte* _elf;
    private readonly nuint _elfLength;
    private readonly BpfObjectOpenOptions _options;
    private readonly BpfMap[] _maps;
    private readonly BpfProgram[] _programs;
    private nint _handle;

    private BpfObject(string? path, ReadOnlySpan<byte> elf, BpfObjectOpenOptions? options)
    {
        _path = path;
        _options = options ?? new BpfObjectOpenOptions();
        if (path is null)
        {
            // libbpf parses the ELF in place; it must outlive the bpf_object.
            _elfLength = (nuint)elf.Length;
            _elf = (byte*)NativeMemory.Alloc(_elfLength);
            elf.CopyTo(new Span<byte>(_elf, elf.Length));
        }

        try
        {
            _handle = OpenNative();
        }
        catch
        {
            NativeMemory.Free(_elf);
            throw;
        }

        Name = Marshal.PtrToStringUTF8(LibBpf.bpf_object__name(_handle)) ?? "";
        _maps = [.. EnumerateNative(LibBpf.bpf_object__next_map).Select(map => new BpfMap(this, map))];
        _programs = [.. EnumerateNative(LibBpf.bpf_object__next_program).Select(prog => new BpfProgram(this, prog))];
    }

    public static BpfObject Open(string path, BpfObjectOpenOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new BpfObject(path, default, options);
    }

    /// <summary>Opens an object from ELF bytes (e.g. an embedded resource); the bytes are copied.</summary>
    public static BpfObject Open(ReadOnlySpan<byte> elf, BpfObjectOpenOptions? options = null)
    {
        if (elf.IsEmpty)
        {
            throw new ArgumentException("The ELF image is empty.", nameof(elf));
        }

        return new BpfObject(null, elf, options);
    }

    /// <summary>The object name: the file name without extension, or <see cref="BpfObjectOpenOptions.ObjectName"/>.</summary>
    public string Name { get; }

    public IReadOnlyList<BpfMap> Maps => _maps;

    public IReadOnlyList<BpfProgram> Programs => _programs;

    public bool IsLoaded { get; private set; }

    /// <summary>A copy of the object's BTF in the kernel's raw format (header, types, strings), as
    /// libbpf holds it; null when the object carries no BTF.</summary>
    public byte[]? RawBtf()
    {
        ThrowIfDisposed();
        nint btf = LibBpf.bpf_object__btf(_handle);
        if (btf == 0)
        {
            return null;
        }

        uint size;
        void* data = LibBpf.btf__raw_data(btf, &size);
        return data is null ? null : new ReadOnlySpan<byte>(data, (int)size).ToArray();
    }

    internal bool IsDisposed => _handle == 0;

    public BpfMap Map(string name) =>
        _maps.FirstOrDefault(map => map.Name == name)
        ?? throw new KeyNotFoundException($"BPF object '{Name}' has no map '{name}'; it has: {string.Join(", ", _maps.Select(m => m.Name))}.");

    public BpfProgram Program(string name) =>
        _programs.FirstOrDefault(prog => prog.Name == name)
        ?? throw new KeyNotFoundException($"BPF object '{Name}' has no program '{name}'; it has: {string.Join(", ", _programs.Select(p => p.Name))}.");

    /// <summary>
    /// Creates the maps (reusing or creating pins) and loads every program. When the verifier
    /// rejects a program the <see cref="BpfException"/> carries its log, as does
    /// <see cref="BpfProgram.VerifierLog"/>.
    /// </summary>
    public void Load()
    {
        ThrowIfDisposed();
        if (IsLoaded)
        {
            throw new InvalidOperationException($"BPF object '{Name}' is already loaded.");
        }

        for (nuint logSize = (nuint)_options.VerifierLogSize; ; logSize = Math.Min(logSize * 4, VerifierLogBuffers.MaxSize))
        {
            using var logs = new VerifierLogBuffers(_programs, logSize);
            foreach (BpfMap map in _maps)
            {
                map.BeforeLoad();
            }

            int result = LibBpf.bpf_object__load(_handle);
            if (result >= 0)
            {
                IsLoaded = true;
                foreach (BpfMap map in _maps)
                {
                    map.AfterLoad();
                }

                return;
            }

            int errno = -result;
            (BpfProgram Program, string Log)? rejected = logs.FindRejected();
            if (errno == Native.ENOSPC && rejected is not null && logSize < VerifierLogBuffers.MaxSize)
            {
                // The log did not fit. libbpf cannot load an object twice, so start over
                // from a freshly opened copy with a bigger buffer.
                Reopen();
                continue;
            }

            throw LoadFailure(errno, rejected);
        }
    }

    public void Dispose()
    {
        if (_handle == 0)
        {
            return;
        }

        LibBpf.bpf_object__close(_handle);
        _handle = 0;
        NativeMemory.Free(_elf);
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    private BpfException LoadFailure(int errno, (BpfProgram Program, string Log)? rejected)
    {
        string operation = $"bpf_object__load({Name})";
        if (rejected is not { } failure)
        {
            return new BpfException(operation, errno, "No program has a verifier log; route libbpf's log (LibBpfLog.Route) for details.");
        }

        failure.Program.VerifierLog = failure.Log;
        string tail = string.Join('\n', failure.Log.TrimEnd('\n').Split('\n').TakeLast(20));
        return new BpfException(operation, errno, $"The verifier rejected program '{failure.Program.Name}':\n{tail}", failure.Log);
    }

    private void Reopen()
    {
        LibBpf.bpf_object__close(_handle);
        _handle = 0;
        _handle = OpenNative();
        foreach (BpfMap map in _maps)
        {
            map.Rebind(FindNative(LibBpf.bpf_object__next_map, LibBpf.bpf_map__name, map.Name));
        }

        foreach (BpfProgram program in _programs)
        {
            program.Rebind(FindNative(LibBpf.bpf_object__next_program, LibBpf.bpf_program__name, program.Name));
        }
    }

    private nint OpenNative()
    {
        BpfObjectOpenOpts opts = BpfObjectOpenOpts.Create();
        opts.ObjectName = Utf8StringMarshaller.ConvertToUnmanaged(_options.ObjectName);
        opts.PinRootPath = Utf8StringMarshaller.ConvertToUnmanaged(_options.PinRoot);
        try
        {
            return _path is not null
                ? Native.CheckPointer(LibBpf.bpf_object__open_file(_path, &opts), $"bpf_object__open_file({_path})")
                : Native.CheckPointer(LibBpf.bpf_object__open_mem(_elf, _elfLength, &opts), $"bpf_object__open_mem({_options.ObjectName ?? $"{_elfLength} bytes"})");
        }
        finally
        {
            Utf8StringMarshaller.Free(opts.ObjectName);
            Utf8StringMarshaller.Free(opts.PinRootPath);
        }
    }

    private List<nint> EnumerateNative(Func<nint, nint, nint> next)
    {
        var items = new List<nint>();
        for (nint item = next(_handle, 0); item != 0; item = next(_handle, item))
        {
            items.Add(item);
        }

        return items;
    }

    private nint FindNative(Func<nint, nint, nint> next, Func<nint, nint> name, string wanted) =>
        EnumerateNative(next).First(item => Marshal.PtrToStringUTF8(name(item)) == wanted);
}
