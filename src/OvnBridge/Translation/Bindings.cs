using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>
/// Which logical switch port each local netdev carries: an Interface of the local Open_vSwitch
/// database whose external_ids:iface-id is the port's name binds that port to the netdev named
/// like the Interface. Two interfaces claiming one port: the first by name keeps it.
/// </summary>
internal static class Bindings
{
    public const string IfaceIdKey = "iface-id";

    /// <summary>Netdev names by logical port name.</summary>
    public static Dictionary<string, string> Of(OvsSnapshot ovs, Untranslated untranslated)
    {
        var bindings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var iface in ovs.Interfaces.Values.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            if (!iface.ExternalIds.TryGetValue(IfaceIdKey, out var port) || port.Length == 0)
            {
                continue;
            }
            if (!GraphNames.IsNetdev(iface.Name))
            {
                untranslated.Add(Refs.Of(iface), $"'{iface.Name}' cannot be a netdev name (1-15 letters, digits, '_', '-', '.', '@'), so it binds no port");
            }
            else if (!bindings.TryAdd(port, iface.Name))
            {
                untranslated.Add(Refs.Of(iface), $"the port {port} is already bound to {bindings[port]}");
            }
        }
        return bindings;
    }
}
