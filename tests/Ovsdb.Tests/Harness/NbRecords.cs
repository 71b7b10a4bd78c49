using IoVisor.Ovsdb.Typed;

namespace IoVisor.Ovsdb.Tests.Harness;

[OvsdbTable("Logical_Switch")]
public sealed record LogicalSwitch(Guid Uuid, string Name, IReadOnlyList<Guid> Ports, IReadOnlyDictionary<string, string> ExternalIds);

[OvsdbTable("Logical_Switch_Port")]
public sealed record LogicalSwitchPort(
    Guid Uuid,
    string Name,
    IReadOnlyList<string> Addresses,
    long? Tag,
    bool? Enabled,
    IReadOnlyDictionary<string, string> ExternalIds);
