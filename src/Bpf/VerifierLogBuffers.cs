using System.Runtime.InteropServices;
using System.Text;
using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>
/// One native verifier-log buffer per program for the duration of one bpf_object__load.
/// Log level 0 keeps successful loads cheap: libbpf then retries only a failing program at
/// level 1 into its buffer, so after a failure exactly the rejected program has a log.
/// </summary>
internal sealed unsafe class VerifierLogBuffers : IDisposable
{
    // The largest log_size every kernel accepts (before 5.2 larger sizes fail with EINVAL).
    public const nuint MaxSize = 16 << 20;

    private readonly (BpfProgram Program, nint Buffer)[] _buffers;
    private readonly nuint _size;

    public VerifierLogBuffers(IReadOnlyList<BpfProgram> programs, nuint size)
    {
        _size = size;
        _buffers = new (BpfProgram, nint)[programs.Count];
        try
        {
            for (int i = 0; i < programs.Count; i++)
            {
                byte* buffer = (byte*)NativeMemory.Alloc(size);
                buffer[0] = 0;
                _buffers[i] = (programs[i], (nint)buffer);
                nint program = programs[i].NativeHandle;
                Native.Check(LibBpf.bpf_program__set_log_buf(program, buffer, size), $"bpf_program__set_log_buf({programs[i].Name})");
                Native.Check(LibBpf.bpf_program__set_log_level(program, 0), $"bpf_program__set_log_level({programs[i].Name})");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The program the verifier rejected, with its whole log; null when none has a log.</summary>
    public (BpfProgram Program, string Log)? FindRejected()
    {
        foreach ((BpfProgram program, nint buffer) in _buffers)
        {
            var log = new ReadOnlySpan<byte>((void*)buffer, checked((int)_size));
            int end = log.IndexOf((byte)0);
            if (end != 0)
            {
                return (program, Encoding.UTF8.GetString(end < 0 ? log : log[..end]));
            }
        }

        return null;
    }

    // libbpf keeps pointing at these buffers after load but reads them only during
    // load, and a reload always starts from a fresh object, so freeing here is safe.
    public void Dispose()
    {
        foreach ((_, nint buffer) in _buffers)
        {
            NativeMemory.Free((void*)buffer);
        }
    }
}
