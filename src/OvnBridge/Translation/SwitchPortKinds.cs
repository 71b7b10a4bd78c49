using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>What each logical switch port type becomes.</summary>
internal static class SwitchPortKinds
{
    public const string Router = "router";

    /// <summary>Types bound to a netdev through iface-id: VIFs (""), and, as a simplification
    /// (ovn-bridge-mappings are not read), localnet and localport ports.</summary>
    public static bool IsBindable(LogicalSwitchPort port) => port.Type is "" or "localnet" or "localport";

    public static bool IsEnabled(LogicalSwitchPort port) => port.Enabled != false;

    /// <summary>Why a port of this type cannot be translated, or null.</summary>
    public static string? Unsupported(LogicalSwitchPort port)
    {
        if (port.ParentName is not null || port.Tag is not null)
        {
            return "nested (parent_name/tag) ports are not supported";
        }
        return IsBindable(port) || port.Type == Router ? null : $"ports of type '{port.Type}' are not supported";
    }
}
