using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

/// <summary>Receives one ring buffer record; the span is only valid during the call.</summary>
public delegate void RingBufferCallback(ReadOnlySpan<byte> record);

/// <summary>
/// Consumes a BPF_MAP_TYPE_RINGBUF map. Poll or Consume from one thread at a time; Dispose
/// waits for a running Poll to return, so poll with a finite timeout. An exception thrown by the callback stops that round
/// and is rethrown from Poll/Consume (it never unwinds through libbpf).
/// </summary>
public sealed unsafe class RingBufferReader : IDisposable
{
    private readonly RingBufferCallback _callback;
    private readonly Lock _gate = new();
    private GCHandle _self;
    private nint _ringBuffer;
    private ExceptionDispatchInfo? _callbackFailure;

    public RingBufferReader(BpfMap ringBuffer, RingBufferCallback callback)
    {
        ArgumentNullException.ThrowIfNull(ringBuffer);
        ArgumentNullException.ThrowIfNull(callback);
        if (ringBuffer.Type != BpfMapType.RingBuf)
        {
            throw new ArgumentException($"Map '{ringBuffer.Name}' is a {ringBuffer.Type}, not a RingBuf.", nameof(ringBuffer));
        }

        _callback = callback;
        // The native side gets a handle to this reader as its context; a static
        // UnmanagedCallersOnly entry point needs no delegate kept alive.
        _self = GCHandle.Alloc(this);
        _ringBuffer = LibBpf.ring_buffer__new(ringBuffer.Fd, &OnSample, GCHandle.ToIntPtr(_self), null);
        if (_ringBuffer == 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _self.Free();
            throw new BpfException(ringBuffer.Operation("ring_buffer__new"), errno);
        }
    }

    /// <summary>Becomes readable when records are waiting: for callers that multiplex with epoll.</summary>
    public int EpollFd
    {
        get
        {
            lock (_gate)
            {
                ThrowIfDisposed();
                return LibBpf.ring_buffer__epoll_fd(_ringBuffer);
            }
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1: forever) for records and consumes them; returns how many.</summary>
    public int Poll(int timeoutMs)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            int result = LibBpf.ring_buffer__poll(_ringBuffer, timeoutMs);
            return Finish(result == -Native.EINTR ? 0 : result, "ring_buffer__poll");
        }
    }

    /// <summary>Consumes the records already waiting, without blocking; returns how many.</summary>
    public int Consume()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return Finish(LibBpf.ring_buffer__consume(_ringBuffer), "ring_buffer__consume");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_ringBuffer == 0)
            {
                return;
            }

            LibBpf.ring_buffer__free(_ringBuffer);
            _ringBuffer = 0;
            _self.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static int OnSample(nint context, void* data, nuint size)
    {
        var reader = (RingBufferReader)GCHandle.FromIntPtr(context).Target!;
        try
        {
            reader._callback(new ReadOnlySpan<byte>(data, checked((int)size)));
            return 0;
        }
        catch (Exception e)
        {
            reader._callbackFailure = ExceptionDispatchInfo.Capture(e);
            // Any negative value stops libbpf's consume loop and is returned from poll/consume.
            return -1;
        }
    }

    private int Finish(int result, string call)
    {
        if (_callbackFailure is { } failure)
        {
            _callbackFailure = null;
            failure.Throw();
        }

        return Native.Check(result, call);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_ringBuffer == 0, this);
}
