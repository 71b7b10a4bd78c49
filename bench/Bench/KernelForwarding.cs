namespace IoVisor.Bench;

/// <summary>
/// Linux as the router between the bench's two subnets, as the nftables baselines need it:
/// HostIn 10.77.0.254/24, HostOut 10.78.0.254/24, forwarding switched on for those two
/// interfaces only, and a permanent neighbour on HostOut for each address that the receiver
/// plays. Disposing undoes it all; so does the cleanup if the bench stops half-way.
/// </summary>
internal sealed class KernelForwarding : IDisposable
{
    public const string InAddress = "10.77.0.254/24";
    public const string OutAddress = "10.78.0.254/24";

    /// <summary>HostOut's address without its length: what masquerade translates to.</summary>
    public const string OutHost = "10.78.0.254";

    private readonly List<IDisposable> _undo = [];

    public KernelForwarding(Topology topo, Cleanup cleanup, IReadOnlyList<string> receiverAddresses)
    {
        _undo.Add(cleanup.Scoped("forwarding addresses and neighbours", () =>
        {
            foreach (var address in receiverAddresses)
            {
                Shell.TryRun("ip", $"neigh del {address} dev {topo.HostOut}");
            }
            // Removing HostOut's address also flushes the conntrack entries masquerade made with it.
            Shell.TryRun("ip", $"addr del {InAddress} dev {topo.HostIn}");
            Shell.TryRun("ip", $"addr del {OutAddress} dev {topo.HostOut}");
        }));
        Shell.Run("ip", $"addr add {InAddress} dev {topo.HostIn}");
        Shell.Run("ip", $"addr add {OutAddress} dev {topo.HostOut}");
        // rp_filter stays as it is: the senders are on HostIn's own subnet, which even strict
        // reverse-path filtering accepts.
        _undo.Add(Sysctl.Set(cleanup, $"net/ipv4/conf/{topo.HostIn}/forwarding", "1"));
        _undo.Add(Sysctl.Set(cleanup, $"net/ipv4/conf/{topo.HostOut}/forwarding", "1"));
        foreach (var address in receiverAddresses)
        {
            Shell.Run("ip", $"neigh replace {address} lladdr {Topology.Format(topo.ReceiverMac)} dev {topo.HostOut} nud permanent");
        }
    }

    public void Dispose()
    {
        for (int i = _undo.Count - 1; i >= 0; i--)
        {
            _undo[i].Dispose();
        }
    }
}
