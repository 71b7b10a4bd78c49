namespace IoVisor.Hover.Hosting;

/// <summary>hoverd's command-line switches, mapped onto the Hover and Ovn options sections.</summary>
public static class HoverCommandLine
{
    public static Dictionary<string, string> Switches { get; } = new(StringComparer.Ordinal)
    {
        ["--listen"] = "Hover:Listen",
        ["--state-dir"] = "Hover:StateDir",
        ["--bpffs-dir"] = "Hover:BpffsDir",
        ["--objects-dir"] = "Hover:ObjectsDir",
        ["--xdp-mode"] = "Hover:XdpMode",
        ["--ovn-nb"] = "Ovn:Northbound",
        ["--ovs-db"] = "Ovn:OpenVswitch",
        ["--ovn-hook"] = "Ovn:Hook",
        ["--ovn-ack-cfg"] = "Ovn:AcknowledgeNbCfg",
    };
}
