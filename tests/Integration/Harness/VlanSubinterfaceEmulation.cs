using System.Globalization;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// On a kernel without 802.1Q support (no <c>type vlan</c> links), makes an interface behave like its VLAN
/// subinterface: <c>bpf/vlan_subif.c</c>, compiled by clang for the VLAN id, is attached with tc to the
/// interface's egress (push the tag) and ingress (accept only that tag, pop it).
/// </summary>
public static class VlanSubinterfaceEmulation
{
    private static readonly SemaphoreSlim CompileLock = new(1, 1);

    /// <param name="txVlanOffload">
    /// On (the veth default, and what a real subinterface on a veth does): the tag leaves as skb metadata, so an
    /// XDP program on the peer sees the frame untagged and must read the tag from the metadata. Off: the tag is
    /// written into the frame, as a sender without the offload does.
    /// </param>
    public static async Task AttachAsync(NetworkNamespace ns, string ifName, int vlan, bool txVlanOffload = true)
    {
        var obj = await CompileAsync(vlan);
        await ns.ExecCheckedAsync("ethtool", "-K", ifName, "txvlan", txVlanOffload ? "on" : "off");
        await ns.ExecCheckedAsync("tc", "qdisc", "add", "dev", ifName, "clsact");
        await ns.ExecCheckedAsync("tc", "filter", "add", "dev", ifName, "egress", "bpf", "da", "obj", obj, "sec", "tc/egress");
        await ns.ExecCheckedAsync("tc", "filter", "add", "dev", ifName, "ingress", "bpf", "da", "obj", obj, "sec", "tc/ingress");
    }

    private static async Task<string> CompileAsync(int vlan)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "bpf", "vlan_subif.c");
        var obj = Path.Combine(AppContext.BaseDirectory, "bpf", $"vlan_subif-{vlan.ToString(CultureInfo.InvariantCulture)}.o");
        await CompileLock.WaitAsync();
        try
        {
            if (!File.Exists(obj) || File.GetLastWriteTimeUtc(obj) < File.GetLastWriteTimeUtc(source))
            {
                await Shell.RunCheckedAsync("clang", "-O2", "-g", "-Wall", "-Werror", "-target", "bpf",
                    "-I/usr/include/x86_64-linux-gnu", $"-DVLAN_ID={vlan.ToString(CultureInfo.InvariantCulture)}",
                    "-c", source, "-o", obj);
            }
        }
        finally
        {
            CompileLock.Release();
        }
        return obj;
    }
}
