using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>The local Open_vSwitch interfaces a translation binds logical ports to.</summary>
public sealed record OvsSnapshot(IReadOnlyDictionary<Guid, OvsInterface> Interfaces)
{
    public static OvsSnapshot Empty { get; } = new(new Dictionary<Guid, OvsInterface>());

    public static OvsSnapshot FromRows(IEnumerable<OvsInterface> interfaces) => new(interfaces.ToDictionary(i => i.Uuid));
}
