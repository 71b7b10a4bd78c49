using System.Text.Json.Nodes;
using IoVisor.IoModules.Conntrack;

namespace IoVisor.IoModules.L4lb;

/// <summary>A load balancer's module config: the size of every service's Maglev table and the
/// connection tracking of its connections (timeouts, table size).</summary>
public sealed record L4lbConfig(int MaglevTableSize, ConntrackSettings Conntrack)
{
    public static L4lbConfig Default { get; } = new(MaglevTable.DefaultSize, ConntrackSettings.Default);

    public static L4lbConfig Parse(JsonObject? config)
    {
        var reader = new ConfigReader(config, new ConfigErrors("config"));
        reader.RejectUnknown("maglevTableSize", "conntrack");
        var size = reader.Integer("maglevTableSize", MaglevTable.DefaultSize, 2, MaglevTable.MaxSize);
        if (!MaglevTable.IsPrime(size))
        {
            reader.Errors.Add("maglevTableSize", $"must be a prime number (up to {MaglevTable.MaxSize}, the default)");
        }
        var conntrack = ConntrackSettings.Parse(config?["conntrack"], reader.Errors);
        reader.Errors.ThrowIfAny();
        return new L4lbConfig((int)size, conntrack);
    }

    public JsonObject ToJson() => new()
    {
        ["maglevTableSize"] = (long)MaglevTableSize,
        ["conntrack"] = Conntrack.ToJson(),
    };
}
