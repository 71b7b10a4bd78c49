namespace IoVisor.Hover.Hosting;

/// <summary>hoverd's command-line switches, mapped onto the Hover options section.</summary>
public static class HoverCommandLine
{
    public static Dictionary<string, string> Switches { get; } = new(StringComparer.Ordinal)
    {
        ["--listen"] = "Hover:Listen",
        ["--state-dir"] = "Hover:StateDir",
        ["--bpffs-dir"] = "Hover:BpffsDir",
        ["--objects-dir"] = "Hover:ObjectsDir",
        ["--xdp-mode"] = "Hover:XdpMode",
    };
}
