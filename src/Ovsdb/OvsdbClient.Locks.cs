namespace IoVisor.Ovsdb;

/// <summary>Locks that outlive connections: the client asks for them again after reconnecting
/// and reports when it gains or loses one.</summary>
public sealed partial class OvsdbClient
{
    /// <summary>A lock asked for with <see cref="LockAsync"/> or <see cref="StealAsync"/> was
    /// granted, stolen, or lost with the connection.</summary>
    public event EventHandler<OvsdbLockEventArgs>? LockChanged;

    /// <summary>Asks for a lock, and again after every reconnection until
    /// <see cref="UnlockAsync"/>. True when it is held now; otherwise <see cref="LockChanged"/>
    /// reports when it is granted.</summary>
    public Task<bool> LockAsync(string lockId, CancellationToken ct) => RequestLockAsync(lockId, steal: false, ct);

    /// <summary>Takes the lock from its holder; kept across reconnections like
    /// <see cref="LockAsync"/> (by asking, not by stealing again).</summary>
    public Task<bool> StealAsync(string lockId, CancellationToken ct) => RequestLockAsync(lockId, steal: true, ct);

    public async Task UnlockAsync(string lockId, CancellationToken ct)
    {
        locks.TryRemove(lockId, out _);
        await (await ConnectionAsync(ct)).UnlockAsync(lockId, ct);
    }

    private async Task<bool> RequestLockAsync(string lockId, bool steal, CancellationToken ct)
    {
        locks.TryAdd(lockId, false);
        var connection = await ConnectionAsync(ct);
        var held = steal ? await connection.StealAsync(lockId, ct) : await connection.LockAsync(lockId, ct);
        if (held)
        {
            SetLock(lockId, held: true);
        }
        return held;
    }

    private async Task ReacquireLocksAsync(OvsdbConnection connection, CancellationToken ct)
    {
        foreach (var lockId in locks.Keys)
        {
            if (await connection.LockAsync(lockId, ct))
            {
                SetLock(lockId, held: true);
            }
        }
    }

    private void SetLock(string lockId, bool held)
    {
        if (locks.TryGetValue(lockId, out var was) && was != held && locks.TryUpdate(lockId, held, was))
        {
            Raise(LockChanged, new OvsdbLockEventArgs(lockId, held));
        }
    }
}
