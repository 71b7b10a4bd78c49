namespace IoVisor.Ovsdb.Rpc;

/// <summary>Decides when an idle connection needs an echo probe and when it is dead, the way
/// OVS's reconnect logic does: after <see cref="Interval"/> without receiving anything, probe;
/// after another interval still without anything, give up.</summary>
internal sealed class InactivityProbe(TimeSpan interval)
{
    public enum Verdict
    {
        Alive,
        SendProbe,
        Dead,
    }

    private long lastReceived = Environment.TickCount64;
    private long probeSent;

    public TimeSpan Interval { get; } = interval;

    /// <summary>How often to call <see cref="Check"/>: often enough that a dead peer is noticed
    /// close to two intervals after it went quiet.</summary>
    public TimeSpan CheckPeriod => TimeSpan.FromMilliseconds(Math.Max(10, Interval.TotalMilliseconds / 4));

    public void Received()
    {
        Volatile.Write(ref lastReceived, Environment.TickCount64);
        Volatile.Write(ref probeSent, 0);
    }

    public Verdict Check()
    {
        var now = Environment.TickCount64;
        var sent = Volatile.Read(ref probeSent);
        if (sent != 0)
        {
            return now - sent >= Interval.TotalMilliseconds ? Verdict.Dead : Verdict.Alive;
        }
        if (now - Volatile.Read(ref lastReceived) < Interval.TotalMilliseconds)
        {
            return Verdict.Alive;
        }
        Volatile.Write(ref probeSent, now);
        return Verdict.SendProbe;
    }
}
