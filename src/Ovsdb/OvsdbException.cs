namespace IoVisor.Ovsdb;

/// <summary>The base of every error this library raises, so callers can catch OVSDB failures as
/// one kind.</summary>
public class OvsdbException : Exception
{
    public OvsdbException(string message)
        : base(message)
    {
    }

    public OvsdbException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
