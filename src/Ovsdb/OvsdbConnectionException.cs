namespace IoVisor.Ovsdb;

/// <summary>The connection could not be made or was lost (closed by the peer, I/O error,
/// unanswered inactivity probe). A request in flight when it happened has an unknown outcome.</summary>
public sealed class OvsdbConnectionException(string message, Exception? innerException = null)
    : OvsdbException(message, innerException);
