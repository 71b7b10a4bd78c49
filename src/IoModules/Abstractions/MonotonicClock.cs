using System.Diagnostics;

namespace IoVisor.IoModules;

/// <summary>The clock of bpf_ktime_get_ns (CLOCK_MONOTONIC), which Stopwatch reads on Linux:
/// timestamps the datapath writes into maps compare against it.</summary>
public static class MonotonicClock
{
    public static ulong Nanoseconds() => (ulong)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
}
