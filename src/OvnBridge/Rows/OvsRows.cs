using IoVisor.Ovsdb.Typed;

namespace IoVisor.OvnBridge.Rows;

/// <summary>An interface of the local Open_vSwitch database; external_ids:iface-id names the
/// logical switch port it binds.</summary>
[OvsdbTable("Interface")]
public sealed record OvsInterface(Guid Uuid, string Name, IReadOnlyDictionary<string, string> ExternalIds);
