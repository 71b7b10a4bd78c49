using System.CommandLine;
using IoVisor.Hover.Client;

namespace IoVisor.HoverCtl;

/// <summary><c>hoverctl tables list</c>.</summary>
internal static class TableCommands
{
    public static Command Create(ApiActions actions)
    {
        var module = new Argument<string>("module") { Description = "Module name" };
        var list = new Command("list", "List a module's tables") { module };
        actions.Set(list, async call =>
        {
            var tables = await call.Api.ListTablesAsync(call.Value(module), call.Ct);
            call.Out.Print(tables, TablesTable(tables));
        });
        return new Command("tables", "The tables a module exposes (see entries)") { list };
    }

    private static Table TablesTable(IEnumerable<TableView> tables)
    {
        var table = new Table("TABLE", "KEY FORMAT", "WRITABLE", "DESCRIPTION");
        foreach (var t in tables)
        {
            table.Add(t.Name, t.KeyFormat, t.Writable, t.Description);
        }
        return table;
    }
}
