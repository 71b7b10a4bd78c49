using System.Text.Json.Nodes;

namespace IoVisor.IoModules;

/// <summary>The control plane of one loaded module: writes its config and ports into its maps and
/// serves its tables. Every method is idempotent, so the daemon can re-apply desired state after a
/// restart without disturbing traffic.</summary>
public interface IModuleDatapath
{
    void ApplyConfig(JsonObject config);

    void ApplyPort(int index, JsonObject config);

    void RemovePort(int index);

    /// <summary>Called after the framework changed the peer of a port.</summary>
    void PeerChanged(int index, PortPeer previous, PortPeer current);

    IModuleTable Table(string name);

    /// <summary>Periodic housekeeping (aging); called by the daemon every few seconds.</summary>
    void Maintain();

    /// <summary>The handler of what this module punts for its own reasons; null when it has none.</summary>
    IModuleSlowPath? SlowPath => null;

    /// <summary>The tables of this instance, when they depend on its program (a user-supplied module's
    /// maps) rather than on its type; null: the type's <see cref="IModuleType.Tables"/>.</summary>
    IReadOnlyList<TableInfo>? Tables => null;
}

public enum PeerKind
{
    None = 0,
    Netdev = 1,
    Module = 2,
}

/// <summary>The other end of a module port.</summary>
public readonly record struct PortPeer(PeerKind Kind, int Ifindex = 0, int Module = 0, int Port = 0)
{
    public static PortPeer None => default;
}

/// <summary>A table over REST. Entries are JSON objects; each carries its own "key".</summary>
public interface IModuleTable
{
    IReadOnlyList<JsonObject> List();

    JsonObject? Get(string key);

    /// <summary>Creates or replaces an entry; throws <see cref="ConfigException"/> on bad input.
    /// <paramref name="key"/> is null for a POST.</summary>
    JsonObject Put(string? key, JsonObject entry);

    bool Delete(string key);

    int Flush();

    /// <summary>Replaces every entry with <paramref name="entries"/> at once: all are validated before
    /// anything changes (errors named entries[i].field), and traffic sees the old entries or the new,
    /// never a mix. Returns the entries as written, each with its key.</summary>
    IReadOnlyList<JsonObject> ReplaceAll(IReadOnlyList<JsonObject> entries) =>
        throw new ConfigException("table", "this table does not support batch replace");

    /// <summary>Whether <see cref="PutAll"/> writes a batch at once.</summary>
    bool HasPutAll => false;

    /// <summary>Writes <paramref name="entries"/> as <see cref="Put"/> would each (a null key is a POST),
    /// all or nothing and in one change of what traffic sees: the firewall puts one rule set in force
    /// instead of one per rule. Errors are named entries[i].field, i the index in the batch. Returns
    /// the entries as written, each with its key.</summary>
    IReadOnlyList<JsonObject> PutAll(IReadOnlyList<(string? Key, JsonObject Entry)> entries) =>
        throw new ConfigException("table", "this table does not support batch writes");
}
