using IoVisor.Bpf.Interop;

namespace IoVisor.Bpf;

// Batch operations (Linux 5.6+): many entries per syscall. Keys and values are packed
// arrays of KeySize and ValueBufferSize bytes.
public sealed unsafe partial class BpfMap
{
    /// <summary>
    /// Reads the next entries into <paramref name="keys"/> and <paramref name="values"/>
    /// (room for keys.Length / KeySize entries) and returns how many were read. Call until
    /// <see cref="BpfMapBatchCursor.IsFinished"/>. Hash maps fail with ENOSPC when the
    /// buffers are smaller than one hash bucket.
    /// </summary>
    public int LookupBatch(BpfMapBatchCursor cursor, Span<byte> keys, Span<byte> values)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (cursor.IsFinished)
        {
            return 0;
        }

        uint count = BatchCount(keys.Length, values.Length);
        cursor.EnsureTokenSize(KeySize);
        fixed (byte* k = keys)
        fixed (byte* v = values)
        fixed (byte* inBatch = cursor.Position)
        fixed (byte* outBatch = cursor.Next)
        {
            BpfMapBatchOpts opts = BpfMapBatchOpts.Create();
            int result = LibBpf.bpf_map_lookup_batch(Fd, cursor.IsStarted ? inBatch : null, outBatch, k, v, &count, &opts);
            if (result == -Native.ENOENT)
            {
                cursor.Finish();
                return (int)count;
            }

            CheckBatch(result, "bpf_map_lookup_batch");
            cursor.Advance();
            return (int)count;
        }
    }

    /// <summary>Creates or replaces keys.Length / KeySize entries; returns how many were written.</summary>
    public int UpdateBatch(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, BpfUpdateFlags flags = BpfUpdateFlags.Any)
    {
        uint count = BatchCount(keys.Length, values.Length);
        fixed (byte* k = keys)
        fixed (byte* v = values)
        {
            BpfMapBatchOpts opts = BpfMapBatchOpts.Create();
            opts.ElemFlags = (ulong)flags;
            CheckBatch(LibBpf.bpf_map_update_batch(Fd, k, v, &count, &opts), "bpf_map_update_batch");
            return (int)count;
        }
    }

    /// <summary>Deletes keys.Length / KeySize keys; a missing key fails the call (ENOENT) after the keys before it were deleted.</summary>
    public int DeleteBatch(ReadOnlySpan<byte> keys)
    {
        if (KeySize == 0 || keys.Length % KeySize != 0)
        {
            throw new ArgumentException($"Map '{Name}' has {KeySize}-byte keys; {keys.Length} bytes is not a whole number of keys.", nameof(keys));
        }

        uint count = (uint)(keys.Length / KeySize);
        fixed (byte* k = keys)
        {
            BpfMapBatchOpts opts = BpfMapBatchOpts.Create();
            CheckBatch(LibBpf.bpf_map_delete_batch(Fd, k, &count, &opts), "bpf_map_delete_batch");
            return (int)count;
        }
    }

    private uint BatchCount(int keysLength, int valuesLength)
    {
        if (KeySize == 0 || keysLength % KeySize != 0)
        {
            throw new ArgumentException($"Map '{Name}' has {KeySize}-byte keys; {keysLength} bytes is not a whole number of keys.", "keys");
        }

        int count = keysLength / KeySize;
        if (valuesLength != count * ValueBufferSize)
        {
            throw new ArgumentException($"{count} keys need {count * ValueBufferSize} bytes of values ({ValueBufferSize} each), got {valuesLength}.", "values");
        }

        return (uint)count;
    }

    private void CheckBatch(int result, string call)
    {
        if (result < 0 && Native.IsNotSupported(-result))
        {
            throw new BpfNotSupportedException(Operation(call), -result, $"Batch operations on {Type} maps", "5.6");
        }

        Succeeded(result, call);
    }
}
