using System.Diagnostics;

namespace IoVisor.IoModules;

/// <summary>Rate limit of the packets a slow-path handler generates (ICMP errors, answers to rejected
/// packets; RFC 1812 4.3.2.8): up to <c>perSecond</c> on average, bursts of up to one second's worth.
/// Zero means no limit.</summary>
public sealed class TokenBucket
{
    private double _tokens = double.PositiveInfinity; // full at start: the first answers are not held back
    private long _last = Stopwatch.GetTimestamp();

    public bool TryTake(int perSecond)
    {
        if (perSecond == 0)
        {
            return true;
        }
        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(perSecond, _tokens + Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond);
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }
        _tokens--;
        return true;
    }
}
