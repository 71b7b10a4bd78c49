using System.ComponentModel.DataAnnotations;

namespace IoVisor.OvnBridge.Service;

/// <summary>Where the OVN databases are and how the bridge follows them (hoverd: --ovn-nb,
/// --ovs-db, or the Ovn section of its configuration).</summary>
public sealed class OvnBridgeOptions
{
    /// <summary>The OVN northbound database: <c>unix:PATH</c> or <c>tcp:HOST:PORT</c>, several
    /// separated by commas for a cluster. Empty: the bridge is off.</summary>
    public string Northbound { get; set; } = "";

    /// <summary>The local Open_vSwitch database, whose interfaces bind logical ports
    /// (<c>unix:/var/run/openvswitch/db.sock</c> on an OVS host).</summary>
    public string OpenVswitch { get; set; } = "";

    /// <summary>The hook of every module the bridge makes: tc or xdp.</summary>
    [RegularExpression("^(tc|xdp)$")]
    public string Hook { get; set; } = "tc";

    /// <summary>How long to wait after a change for more before translating: a burst of
    /// transactions (ovn-nbctl scripts) becomes one graph change.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How soon to try again what Hover refused (a netdev that does not exist yet, say)
    /// or a change that failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Once a northbound state is in the datapath, write its NB_Global nb_cfg into
    /// sb_cfg and hv_cfg, as northd and the chassis would, so that <c>ovn-nbctl --wait=hv</c>
    /// returns when the change is programmed. Only for deployments where Hover stands in for them.</summary>
    public bool AcknowledgeNbCfg { get; set; }

    public bool Enabled => Northbound.Length > 0;

    public IReadOnlyList<string> NorthboundRemotes => Split(Northbound);

    public IReadOnlyList<string> OpenVswitchRemotes => Split(OpenVswitch);

    private static string[] Split(string remotes) => remotes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
