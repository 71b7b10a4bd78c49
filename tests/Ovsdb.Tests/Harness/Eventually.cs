using System.Diagnostics;

namespace IoVisor.Ovsdb.Tests.Harness;

/// <summary>Waits for a condition that another thread (the client's session) makes true.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > (timeout ?? DefaultTimeout))
            {
                throw new TimeoutException($"timed out after {watch.Elapsed.TotalSeconds:0.#} s waiting for {what}");
            }
            await Task.Delay(10);
        }
    }
}
