namespace IoVisor.Ovsdb;

/// <summary>Delays between connection attempts: doubling from the minimum up to the maximum, each
/// drawn at random from its upper half so that many clients of one restarted server do not all
/// come back at the same instant.</summary>
internal sealed class ReconnectBackoff(TimeSpan min, TimeSpan max)
{
    private int failures;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, failures));
        failures = Math.Min(failures + 1, 30);
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    public void Reset() => failures = 0;
}
