namespace IoVisor.Bench;

/// <summary>
/// The lowest of several ns/packet measurements taken back to back: on cores shared with the
/// generator and other work, a test run only ever reads high (preemption, cold caches), so the
/// lowest is the closest to the program's own cost, and differences of a few ns show.
/// </summary>
internal static class BestOf
{
    public const int Passes = 5;

    public static CostSample Cost(Func<CostSample> measure) =>
        Enumerable.Range(0, Passes).Select(_ => measure()).MinBy(s => s.Ns)!;
}
