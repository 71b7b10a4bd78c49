using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace IoVisor.Bpf;

/// <summary>What a daemon leaves in the kernel for one pin root: the pins, and the injection veth
/// that outlives the daemon so that a restart finds it. Harnesses that start and discard daemons
/// remove both here, so that a killed daemon leaves nothing behind.</summary>
public static class PinRoot
{
    /// <summary>The injection veth's name: derived from the pin root, so instances side by side each have their own.</summary>
    public static string InjectionDeviceOf(string bpffsDir) =>
        "hvi" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bpffsDir)))[..8];

    /// <summary>Removes the pins (which frees the programs, maps and attachments they held) and the injection veth.</summary>
    public static void Remove(string bpffsDir)
    {
        if (Directory.Exists(bpffsDir))
        {
            Directory.Delete(bpffsDir, recursive: true);
        }
        var device = InjectionDeviceOf(bpffsDir);
        if (File.Exists($"/sys/class/net/{device}/ifindex"))
        {
            using var ip = Process.Start(new ProcessStartInfo("ip", ["link", "del", device]) { RedirectStandardError = true })!;
            ip.WaitForExit();
        }
    }
}
