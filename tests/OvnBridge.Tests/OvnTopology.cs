using IoVisor.OvnBridge.Tests.Harness;

namespace IoVisor.OvnBridge.Tests;

/// <summary>The deployment most tests build with ovn-nbctl: switches ls1 (10.0.1.0/24) and ls2
/// (10.0.2.0/24) joined by router lr1, whose port lrp-out faces ls-out (172.16.0.0/24) with NAT.</summary>
internal static class OvnTopology
{
    public const string Vm1Mac = "02:00:00:00:01:0a";
    public const string Vm2Mac = "02:00:00:00:02:0a";
    public const string OutMac = "02:00:00:00:10:64";

    public static async Task BuildAsync(OvsdbServer nb, string net1 = "10.0.1", string net2 = "10.0.2", string outside = "172.16.0")
    {
        await nb.NbctlAsync("ls-add", "ls1", "--", "ls-add", "ls2", "--", "ls-add", "ls-out", "--", "lr-add", "lr1");
        await nb.NbctlAsync("lrp-add", "lr1", "lrp-ls1", "02:00:00:00:aa:01", $"{net1}.1/24");
        await nb.NbctlAsync("lrp-add", "lr1", "lrp-ls2", "02:00:00:00:aa:02", $"{net2}.1/24");
        await nb.NbctlAsync("lrp-add", "lr1", "lrp-out", "02:00:00:00:aa:10", $"{outside}.1/24");
        foreach (var (ls, lrp) in new[] { ("ls1", "lrp-ls1"), ("ls2", "lrp-ls2"), ("ls-out", "lrp-out") })
        {
            var port = $"{ls}-lr1";
            await nb.NbctlAsync("lsp-add", ls, port, "--", "lsp-set-type", port, "router", "--", "lsp-set-addresses", port, "router",
                "--", "lsp-set-options", port, $"router-port={lrp}");
        }
        await nb.NbctlAsync("lsp-add", "ls1", "vm1", "--", "lsp-set-addresses", "vm1", $"{Vm1Mac} {net1}.10");
        await nb.NbctlAsync("lsp-add", "ls2", "vm2", "--", "lsp-set-addresses", "vm2", $"{Vm2Mac} {net2}.10");
        await nb.NbctlAsync("lsp-add", "ls-out", "outside", "--", "lsp-set-addresses", "outside", $"{OutMac} {outside}.100");
        await nb.NbctlAsync("lsp-add", "ls1", "vm-remote", "--", "lsp-set-addresses", "vm-remote", $"02:00:00:00:01:0b {net1}.11");
    }
}
