using System.Globalization;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Gtp;

/// <summary>The last messages the matcher punted, oldest first, keyed by their running number.
/// Read-only: deleting an entry or flushing the table only forgets summaries.</summary>
internal sealed class PuntedTable(PuntLog log) : IModuleTable
{
    public IReadOnlyList<JsonObject> List() => log.Recent().Select(s => s.ToJson()).ToList();

    public JsonObject? Get(string key) =>
        log.Recent().FirstOrDefault(s => s.Number == ParseKey(key))?.ToJson();

    public JsonObject Put(string? key, JsonObject entry) =>
        throw new ConfigException("table", "punted is read-only; the slow path fills it");

    public bool Delete(string key) => log.Remove(ParseKey(key));

    public int Flush() => log.Clear();

    private static long ParseKey(string key) =>
        long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ConfigException("key", "must be the number of a punted message, like 17");
}
