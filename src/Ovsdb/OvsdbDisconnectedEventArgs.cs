namespace IoVisor.Ovsdb;

/// <summary>A connection the client had synchronized over was lost; it reconnects on its own.</summary>
public sealed class OvsdbDisconnectedEventArgs(OvsdbRemote remote, Exception reason) : EventArgs
{
    public OvsdbRemote Remote { get; } = remote;

    public Exception Reason { get; } = reason;
}
