namespace IoVisor.HoverCtl;

/// <summary>The user's input is wrong in a way the parser cannot see (an unreadable file, a bad spec); exit code 2.</summary>
internal sealed class UsageException(string message, Exception? innerException = null) : Exception(message, innerException);
