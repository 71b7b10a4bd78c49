using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IoVisor.HoverCtl;

/// <summary><c>hoverctl entries list|get|put|delete|flush</c>.</summary>
internal static partial class EntryCommands
{
    public static Command Create(ApiActions actions)
    {
        var module = new Argument<string>("module") { Description = "Module name" };
        var table = new Argument<string>("table") { Description = "Table name (tables list shows them)" };
        var key = new Argument<string>("key") { Description = "Entry key, in the table's key format" };

        var list = new Command("list", "List a table's entries") { module, table };
        actions.Set(list, async call =>
        {
            var entries = await call.Api.ListEntriesAsync(call.Value(module), call.Value(table), call.Ct);
            call.Out.Print(entries, EntriesTable(entries));
        });

        var get = new Command("get", "Show an entry") { module, table, key };
        actions.Set(get, async call =>
        {
            var entry = await call.Api.GetEntryAsync(call.Value(module), call.Value(table), call.Value(key), call.Ct);
            call.Out.Print(entry, EntriesTable([entry]));
        });

        var optionalKey = new Argument<string?>("key")
        {
            Description = "Entry key; without it the module derives the key from the entry",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var entry = JsonObjectOption.Create("--entry", "The entry, e.g. '{\"mac\":\"02:00:00:00:00:01\",\"vlan\":1,\"port\":\"p1\"}'", required: true);
        var put = new Command("put", "Add an entry, or create or replace the entry at <key>") { module, table, optionalKey, entry };
        actions.Set(put, async call =>
        {
            var body = call.Value(entry)!;
            var written = call.Parse.GetValue(optionalKey) is { } k
                ? await call.Api.PutEntryAsync(call.Value(module), call.Value(table), k, body, call.Ct)
                : await call.Api.AddEntryAsync(call.Value(module), call.Value(table), body, call.Ct);
            call.Out.Print(written, EntriesTable([written]));
        });

        var delete = new Command("delete", "Delete an entry") { module, table, key };
        actions.Set(delete, async call =>
        {
            await call.Api.DeleteEntryAsync(call.Value(module), call.Value(table), call.Value(key), call.Ct);
            call.Out.Done($"entry {call.Value(key)} deleted");
        });

        var flush = new Command("flush", "Delete every entry of a table") { module, table };
        actions.Set(flush, async call =>
        {
            var result = await call.Api.FlushTableAsync(call.Value(module), call.Value(table), call.Ct);
            call.Out.Print(result, new Table("REMOVED").Add(result.Removed));
        });

        return new Command("entries", "Read and write the entries of a module's table") { list, get, put, delete, flush };
    }

    /// <summary>"ageSeconds" → "AGE SECONDS", like the other tables' headers.</summary>
    private static string Header(string field) => CamelHump().Replace(field, " $1").ToUpperInvariant();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex CamelHump();

    /// <summary>Entries are free-form per table: one column per field any entry has, "key" first.</summary>
    private static Table EntriesTable(IReadOnlyCollection<JsonObject> entries)
    {
        string[] fields = [.. entries.SelectMany(e => e.Select(f => f.Key)).Append("key").Distinct(StringComparer.Ordinal)
            .OrderBy(f => f == "key" ? 0 : 1)];
        var table = new Table(fields.Select(Header).ToArray());
        foreach (var e in entries)
        {
            table.Add(fields.Select(f => (object?)e[f]).ToArray());
        }
        return table;
    }
}
