using System.Text.Json.Nodes;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>What the kernel has attached to a host interface, read with ip and tc: how a test sees
/// that a change left no program behind.</summary>
public static class NetdevAttachments
{
    /// <summary>Whether an XDP program (native or generic) is attached.</summary>
    public static async Task<bool> HasXdpAsync(string ifname)
    {
        var shown = await Shell.RunCheckedAsync("ip", "-j", "-d", "link", "show", "dev", ifname);
        return JsonNode.Parse(shown.Stdout)?[0]?["xdp"] is not null;
    }

    /// <summary>Whether a tc filter sits on the ingress hook.</summary>
    public static async Task<bool> HasTcIngressFilterAsync(string ifname)
    {
        var shown = await Shell.RunAsync("tc", "filter", "show", "dev", ifname, "ingress");
        return shown.Succeeded && shown.Stdout.Contains("bpf", StringComparison.Ordinal);
    }
}
