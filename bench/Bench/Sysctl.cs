namespace IoVisor.Bench;

/// <summary>Changes a sysctl of an interface the bench made, and puts the old value back.</summary>
internal static class Sysctl
{
    /// <summary><paramref name="key"/> as under /proc/sys, e.g. "net/ipv4/conf/eth0/forwarding".</summary>
    public static IDisposable Set(Cleanup cleanup, string key, string value)
    {
        string path = Path.Combine("/proc/sys", key);
        string old = File.ReadAllText(path).Trim();
        var restore = cleanup.Scoped($"sysctl {key}", () => File.WriteAllText(path, old));
        File.WriteAllText(path, value);
        return restore;
    }
}
