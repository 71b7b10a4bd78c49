namespace IoVisor.Hover.Graph;

/// <summary>A resource named in the URL does not exist (404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The request is valid but clashes with the current state (409), e.g. a duplicate name.</summary>
public sealed class ConflictException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
