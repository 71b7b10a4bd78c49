namespace IoVisor.Ovsdb;

/// <summary>The client gained or lost a lock it asked for.</summary>
public sealed class OvsdbLockEventArgs(string lockId, bool held) : EventArgs
{
    public string LockId { get; } = lockId;

    public bool Held { get; } = held;
}
