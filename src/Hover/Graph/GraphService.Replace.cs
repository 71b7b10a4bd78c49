using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.IoModules;

namespace IoVisor.Hover.Graph;

/// <summary>Batch replace of a table's entries: one change, whole or not at all.</summary>
public sealed partial class GraphService
{
    /// <summary>Replaces every entry of a table that supports it (a firewall's rules). The table
    /// validates the batch as a whole before it writes anything; the persisted entries are replaced in
    /// the same change, and undo puts the previous entries back the same way.</summary>
    public Task<IReadOnlyList<JsonObject>> ReplaceEntriesAsync(string moduleName, string table, IReadOnlyList<JsonObject> entries, CancellationToken ct) =>
        ChangeAsync<IReadOnlyList<JsonObject>>(ct, (state, journal) =>
        {
            var (module, info, t) = TableOf(state, moduleName, table);
            if (!info.Writable)
            {
                throw new ConflictException("table", $"table '{table}' is read-only");
            }
            var previous = info.Persistent ? module.EntriesOf(table).Values.ToList() : t.List();
            IReadOnlyList<JsonObject> written = [];
            journal.Do("replace entries", () => written = t.ReplaceAll(entries), () => t.ReplaceAll(previous));
            if (!info.Persistent)
            {
                return (state, written, null);
            }
            var stored = written.ToImmutableSortedDictionary(e => e["key"]!.GetValue<string>(), Stored, StringComparer.Ordinal);
            return (state.WithModule(module with { Entries = module.Entries.SetItem(table, stored) }), written, null);
        });
}
