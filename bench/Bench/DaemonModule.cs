using System.Text.Json.Nodes;

namespace IoVisor.Bench;

/// <summary>A module made on the bench's daemon over REST; disposing deletes it, and with it its
/// links (which detaches its programs from the netdevs). Also deleted by the cleanup if the bench
/// stops half-way.</summary>
internal sealed class DaemonModule : IDisposable
{
    private readonly Daemon _daemon;
    private readonly IDisposable _delete;

    private DaemonModule(Daemon daemon, IDisposable delete, string name, int index)
    {
        _daemon = daemon;
        _delete = delete;
        Name = name;
        Index = index;
    }

    public string Name { get; }

    /// <summary>The module's slot in the patch panel.</summary>
    public int Index { get; }

    public static DaemonModule Create(Daemon daemon, Cleanup cleanup, string name, string type, string hook, JsonObject? config = null)
    {
        var delete = cleanup.Scoped($"module {name}", () => daemon.Delete($"/modules/{name}"));
        int index = (int)daemon.Post("/modules", config is null ? new { name, type, hook } : new { name, type, hook, config })["index"]!;
        return new DaemonModule(daemon, delete, name, index);
    }

    /// <summary>Adds a port and returns its index.</summary>
    public int AddPort(string port, JsonObject? config = null) =>
        (int)_daemon.Post($"/modules/{Name}/ports", config is null ? new { name = port } : new { name = port, config })["index"]!;

    /// <summary>Links one of the module's ports to "netdev:&lt;ifname&gt;" or "&lt;module&gt;:&lt;port&gt;".</summary>
    public void Link(string port, string to) => _daemon.Post("/links", new { from = $"{Name}:{port}", to });

    public JsonObject AddEntry(string table, object entry) => _daemon.Post($"/modules/{Name}/tables/{table}/entries", entry);

    /// <summary>Replaces every entry of a table that supports it (a firewall's rules) in one request.</summary>
    public void ReplaceEntries(string table, JsonArray entries) => _daemon.Put($"/modules/{Name}/tables/{table}/entries", entries);

    public void FlushTable(string table) => _daemon.Delete($"/modules/{Name}/tables/{table}/entries");

    public JsonNode Get(string subPath) => _daemon.Get($"/modules/{Name}/{subPath}");

    public void Dispose() => _delete.Dispose();
}
