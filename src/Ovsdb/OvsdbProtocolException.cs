namespace IoVisor.Ovsdb;

/// <summary>The peer sent something that is not valid JSON-RPC or not valid OVSDB data. A
/// connection that sees one is closed: its state can no longer be trusted.</summary>
public sealed class OvsdbProtocolException(string message, Exception? innerException = null)
    : OvsdbException(message, innerException);
