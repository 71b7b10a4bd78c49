using System.Globalization;

namespace IoVisor.OvnBench;

/// <summary>The size of the generated deployment and of the measurement. Defaults: the issue's
/// 1,000 switches, 10,000 ports, 10,000 ACLs, 200 ports bound here, 200 timed changes, 3 cold starts.</summary>
internal sealed record BenchOptions(int Switches, int PortsPerSwitch, int AclsPerSwitch, int SwitchesPerRouter, int Bound, int Changes, int ColdStarts)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(1000, 10, 10, 10, 200, 200, 3);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--switches" => options with { Switches = value },
                "--ports-per-switch" => options with { PortsPerSwitch = value },
                "--acls-per-switch" => options with { AclsPerSwitch = value },
                "--switches-per-router" => options with { SwitchesPerRouter = value },
                "--bound" => options with { Bound = value },
                "--changes" => options with { Changes = value },
                "--cold-starts" when value >= 1 => options with { ColdStarts = value },
                _ => throw new ArgumentException($"unknown option {args[i]} (--switches, --ports-per-switch, --acls-per-switch, --switches-per-router, --bound, --changes, --cold-starts ≥ 1)"),
            };
        }
        if (options.Bound > options.Switches * options.PortsPerSwitch || options.AclsPerSwitch > AclTemplates.Count)
        {
            throw new ArgumentException($"at most switches × ports-per-switch bound ports and {AclTemplates.Count} ACLs per switch");
        }
        return options;
    }

    public int Routers => (Switches + SwitchesPerRouter - 1) / SwitchesPerRouter;
}
