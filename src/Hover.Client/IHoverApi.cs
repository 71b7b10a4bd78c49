using System.Text.Json.Nodes;
using RestEase;

namespace IoVisor.Hover.Client;

/// <summary>
/// The Hover REST API, one method per operation of <c>openapi.yaml</c>. Get an instance from
/// <see cref="HoverClient.Create(Uri)"/>; a rejected request throws <see cref="HoverApiException"/>, an unreachable
/// daemon <see cref="HttpRequestException"/>. Disposing it disposes its <see cref="HttpClient"/>.
/// </summary>
public interface IHoverApi : IDisposable
{
    [Get("health")]
    Task<HealthView> GetHealthAsync(CancellationToken ct = default);

    /// <summary>Interfaces of the daemon's namespace and the module port each is linked to.</summary>
    [Get("interfaces")]
    Task<IReadOnlyList<InterfaceView>> ListInterfacesAsync(CancellationToken ct = default);

    [Get("modules")]
    Task<IReadOnlyList<ModuleView>> ListModulesAsync(CancellationToken ct = default);

    [Post("modules")]
    Task<ModuleView> CreateModuleAsync([Body] ModuleCreateRequest module, CancellationToken ct = default);

    [Get("modules/{name}")]
    Task<ModuleView> GetModuleAsync([Path] string name, CancellationToken ct = default);

    /// <summary>Merges <see cref="ModulePatchRequest.Config"/> into the module's config.</summary>
    [Patch("modules/{name}")]
    Task<ModuleView> PatchModuleAsync([Path] string name, [Body] ModulePatchRequest patch, CancellationToken ct = default);

    /// <summary>Deletes the module, its links and its kernel state.</summary>
    [Delete("modules/{name}")]
    Task DeleteModuleAsync([Path] string name, CancellationToken ct = default);

    [Get("modules/{name}/ports")]
    Task<IReadOnlyList<PortView>> ListPortsAsync([Path] string name, CancellationToken ct = default);

    [Post("modules/{name}/ports")]
    Task<PortView> AddPortAsync([Path] string name, [Body] PortCreateRequest port, CancellationToken ct = default);

    [Get("modules/{name}/ports/{port}")]
    Task<PortView> GetPortAsync([Path] string name, [Path] string port, CancellationToken ct = default);

    /// <summary>Replaces the port's config.</summary>
    [Patch("modules/{name}/ports/{port}")]
    Task<PortView> PatchPortAsync([Path] string name, [Path] string port, [Body] PortPatchRequest patch, CancellationToken ct = default);

    /// <summary>Deletes the port and its link.</summary>
    [Delete("modules/{name}/ports/{port}")]
    Task DeletePortAsync([Path] string name, [Path] string port, CancellationToken ct = default);

    [Get("links")]
    Task<IReadOnlyList<LinkView>> ListLinksAsync(CancellationToken ct = default);

    [Post("links")]
    Task<LinkView> CreateLinkAsync([Body] LinkRequest link, CancellationToken ct = default);

    [Get("links/{id}")]
    Task<LinkView> GetLinkAsync([Path] string id, CancellationToken ct = default);

    [Delete("links/{id}")]
    Task DeleteLinkAsync([Path] string id, CancellationToken ct = default);

    [Get("modules/{name}/tables")]
    Task<IReadOnlyList<TableView>> ListTablesAsync([Path] string name, CancellationToken ct = default);

    [Get("modules/{name}/tables/{table}/entries")]
    Task<IReadOnlyList<JsonObject>> ListEntriesAsync([Path] string name, [Path] string table, CancellationToken ct = default);

    /// <summary>Adds an entry whose key the module derives from it (bridge fdb: {mac, vlan, port}).</summary>
    [Post("modules/{name}/tables/{table}/entries")]
    Task<JsonObject> AddEntryAsync([Path] string name, [Path] string table, [Body] JsonObject entry, CancellationToken ct = default);

    /// <summary>Removes every entry of the table.</summary>
    [Delete("modules/{name}/tables/{table}/entries")]
    Task<FlushResult> FlushTableAsync([Path] string name, [Path] string table, CancellationToken ct = default);

    /// <summary>Replaces every entry of the table at once: traffic sees the old entries or the new, never a mix.</summary>
    [Put("modules/{name}/tables/{table}/entries")]
    Task<IReadOnlyList<JsonObject>> ReplaceEntriesAsync([Path] string name, [Path] string table, [Body] IReadOnlyList<JsonObject> entries, CancellationToken ct = default);

    [Get("modules/{name}/tables/{table}/entries/{key}")]
    Task<JsonObject> GetEntryAsync([Path] string name, [Path] string table, [Path] string key, CancellationToken ct = default);

    /// <summary>Creates or replaces the entry at <paramref name="key"/>.</summary>
    [Put("modules/{name}/tables/{table}/entries/{key}")]
    Task<JsonObject> PutEntryAsync([Path] string name, [Path] string table, [Path] string key, [Body] JsonObject entry, CancellationToken ct = default);

    [Delete("modules/{name}/tables/{table}/entries/{key}")]
    Task DeleteEntryAsync([Path] string name, [Path] string table, [Path] string key, CancellationToken ct = default);

    [Get("modules/{name}/stats")]
    Task<ModuleStatsView> GetStatsAsync([Path] string name, CancellationToken ct = default);

    /// <summary>Makes the daemon's chain <see cref="ChainSpec.Name"/> match <paramref name="chain"/>, all or nothing.</summary>
    [Post("chains")]
    Task<ChainApplyResult> ApplyChainAsync([Body] ChainSpec chain, CancellationToken ct = default);

    [Get("chains")]
    Task<IReadOnlyList<ChainSpec>> ListChainsAsync(CancellationToken ct = default);

    [Get("chains/{name}")]
    Task<ChainSpec> GetChainAsync([Path] string name, CancellationToken ct = default);

    /// <summary>Deletes the chain and every object it made.</summary>
    [Delete("chains/{name}")]
    Task DeleteChainAsync([Path] string name, CancellationToken ct = default);

    /// <summary>Counters in the Prometheus text exposition format.</summary>
    [Get("metrics")]
    Task<string> GetMetricsAsync(CancellationToken ct = default);

    /// <summary>
    /// The raw server-sent event stream of packet hops matching <paramref name="filter"/> (e.g. "ip.dst == 10.0.0.2");
    /// with <paramref name="limit"/> the daemon ends it once the limit is reached. Read it with <see cref="TraceStream.ReadAsync(Stream, CancellationToken)"/>, or use
    /// <see cref="TraceStream.TraceAsync(IHoverApi, string?, int?, CancellationToken)"/>. The caller disposes the stream.
    /// </summary>
    [Get("trace")]
    Task<Stream> OpenTraceAsync([Query("filter")] string? filter = null, [Query("limit")] int? limit = null, CancellationToken ct = default);

    /// <summary>The OVN bridge: both database connections, the last state applied, counts, and every row left out with the reason.</summary>
    [Get("ovn/status")]
    Task<OvnStatusView> GetOvnStatusAsync(CancellationToken ct = default);
}
