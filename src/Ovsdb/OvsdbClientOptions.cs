using System.ComponentModel.DataAnnotations;
using IoVisor.Ovsdb.Monitoring;

namespace IoVisor.Ovsdb;

/// <summary>Settings of an <see cref="OvsdbClient"/>.</summary>
public sealed class OvsdbClientOptions
{
    /// <summary>The servers to use, as <c>unix:PATH</c> or <c>tcp:HOST:PORT</c>, tried in turn;
    /// several for a clustered database.</summary>
    [MinLength(1)]
    public List<string> Remotes { get; set; } = [];

    /// <summary>The database to monitor and transact on, e.g. OVN_Northbound.</summary>
    [Required]
    public string Database { get; set; } = "";

    public OvsdbConnectionOptions Connection { get; set; } = new();

    /// <summary>The first delay before reconnecting; it doubles on each failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>For a clustered database, only stay connected to the server that is the cluster
    /// leader (as the _Server database says), so that what we read is never stale.</summary>
    public bool LeaderOnly { get; set; } = true;

    /// <summary>The newest monitor method to try; servers without it get the next older one.
    /// Lower it to force an older method.</summary>
    public MonitorMethod MonitorMethod { get; set; } = MonitorMethod.MonitorCondSince;
}
