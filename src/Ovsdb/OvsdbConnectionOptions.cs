using System.ComponentModel.DataAnnotations;

namespace IoVisor.Ovsdb;

/// <summary>Settings of one connection.</summary>
public sealed class OvsdbConnectionOptions
{
    /// <summary>After this long without receiving anything, send an echo; after as long again,
    /// drop the connection. Zero disables the probe. OVS uses 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan InactivityProbe { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
