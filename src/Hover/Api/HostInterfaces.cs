using System.Globalization;

namespace IoVisor.Hover.Api;

/// <summary>Reads the interfaces of the daemon's network namespace from sysfs.</summary>
internal static class HostInterfaces
{
    private const string SysClassNet = "/sys/class/net";

    public static IEnumerable<InterfaceView> List()
    {
        if (!Directory.Exists(SysClassNet))
        {
            yield break;
        }
        foreach (var dir in Directory.GetDirectories(SysClassNet).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            var ifindex = Read(dir, "ifindex");
            if (ifindex is null)
            {
                continue;
            }
            yield return new InterfaceView(
                name,
                int.Parse(ifindex, CultureInfo.InvariantCulture),
                Read(dir, "address"),
                Read(dir, "operstate") is "up" or "unknown",
                null);
        }
    }

    private static string? Read(string dir, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, file)).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
