using System.Diagnostics;

namespace IoVisor.Tests.Shared.Ovsdb;

/// <summary>Waits for what another thread or process makes true (a client's session, the bridge,
/// a server coming back).</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), () => what, timeout);

    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(condition, () => what, timeout);

    public static Task TrueAsync(Func<bool> condition, Func<string> what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    /// <param name="what">Describes what was awaited, when it timed out; a function so that it can
    /// show the state at that moment.</param>
    public static async Task TrueAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > (timeout ?? DefaultTimeout))
            {
                throw new TimeoutException($"timed out after {watch.Elapsed.TotalSeconds:0.#} s waiting for {what()}");
            }
            await Task.Delay(10);
        }
    }
}
