namespace IoVisor.Bpf;

/// <summary>Where a <see cref="BpfMap.LookupBatch"/> walk is: the kernel's opaque batch token.</summary>
public sealed class BpfMapBatchCursor
{
    public bool IsFinished { get; private set; }

    internal bool IsStarted { get; private set; }

    internal byte[] Position { get; private set; } = [];

    internal byte[] Next { get; private set; } = [];

    // Hash maps use a 4-byte bucket index as the token, other maps a key.
    internal void EnsureTokenSize(int keySize)
    {
        int size = Math.Max(keySize, sizeof(uint));
        if (Next.Length < size)
        {
            Position = new byte[size];
            Next = new byte[size];
        }
    }

    internal void Advance()
    {
        (Position, Next) = (Next, Position);
        IsStarted = true;
    }

    internal void Finish() => IsFinished = true;
}
