namespace IoVisor.Ovsdb.Monitoring;

/// <summary>Which kinds of change a monitor reports (RFC 7047 &lt;monitor-select&gt;).</summary>
public sealed record MonitorSelect(bool Initial = true, bool Insert = true, bool Delete = true, bool Modify = true)
{
    public static readonly MonitorSelect All = new();
}
