namespace IoVisor.IoModules.L4lb;

/// <summary>How a service reaches its backends; the values are enum lb_mode.</summary>
public enum LbMode
{
    /// <summary>Destination address and port rewritten to the backend's; replies rewritten back.</summary>
    Dnat = (int)L4lbAbi.ModeDnat,

    /// <summary>Direct server return: only the destination MAC changes; the backend owns the VIP
    /// and its replies need no translation.</summary>
    Dsr = (int)L4lbAbi.ModeDsr,
}

public static class LbModeNames
{
    public static string Name(this LbMode mode) => mode == LbMode.Dsr ? "dsr" : "dnat";

    public static LbMode Parse(string name) => name == "dsr" ? LbMode.Dsr : LbMode.Dnat;
}
