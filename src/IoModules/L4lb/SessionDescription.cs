using System.Text.Json.Nodes;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.L4lb;

/// <summary>What the sessions table adds to a connection: the backend it was given, which its ct
/// entry holds (struct lb_flow), and how it reaches it.</summary>
internal static class SessionDescription
{
    public static unsafe void Describe(CtEntry entry, JsonObject json)
    {
        var flow = *(LbFlow*)entry.Data;
        json["backend"] = BackendSpec.NameOf(Ipv4Address.FromKernel(flow.BackendAddr), ServiceKey.Network(flow.BackendPort));
        json["mode"] = ((LbMode)flow.Mode).Name();
        if (flow.Mode == L4lbAbi.ModeDsr)
        {
            json["backendMac"] = MacAddress.FromBytes(new ReadOnlySpan<byte>(flow.BackendMac, 6)).ToString();
        }
    }
}
