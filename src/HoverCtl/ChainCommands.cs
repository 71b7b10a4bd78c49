using System.CommandLine;
using IoVisor.Hover.Client;

namespace IoVisor.HoverCtl;

/// <summary><c>hoverctl apply -f</c> and <c>hoverctl chains list|get|delete</c>.</summary>
internal static class ChainCommands
{
    private const string Stdin = "-";

    public static IEnumerable<Command> Create(ApiActions actions)
    {
        var file = new Option<string>("--file", "-f")
        {
            Description = "Chain spec, YAML or JSON ('-': read stdin)",
            HelpName = "graph.yaml",
            Required = true,
        };
        var apply = new Command("apply", "Make the daemon's chain match a spec: creates, updates and deletes only what differs, all or nothing") { file };
        actions.Set(apply, async call =>
        {
            var spec = await ReadSpecAsync(call.Value(file)!, call.Input, call.Ct);
            var result = await call.Api.ApplyChainAsync(spec, call.Ct);
            if (result.Changes.Count == 0 && !call.Out.Json)
            {
                await call.Out.Output.WriteLineAsync("no changes");
                return;
            }
            var table = new Table("ACTION", "KIND", "ID");
            foreach (var c in result.Changes)
            {
                table.Add(c.Action, c.Kind, c.Id);
            }
            call.Out.Print(result, table);
        });
        yield return apply;

        var name = new Argument<string>("name") { Description = "Chain name" };

        var list = new Command("list", "List chains");
        actions.Set(list, async call =>
        {
            var chains = await call.Api.ListChainsAsync(call.Ct);
            var table = new Table("NAME", "MODULES", "LINKS", "ENTRIES");
            foreach (var c in chains)
            {
                table.Add(c.Name, c.Modules.Count, c.Links.Count, c.Entries.Count);
            }
            call.Out.Print(chains, table);
        });

        var get = new Command("get", "Show a chain's spec") { name };
        actions.Set(get, async call =>
        {
            var chain = await call.Api.GetChainAsync(call.Value(name), call.Ct);
            call.Out.Print(chain, ModulesTable(chain), LinksTable(chain), EntriesTable(chain));
        });

        var delete = new Command("delete", "Delete a chain and everything it made") { name };
        actions.Set(delete, async call =>
        {
            await call.Api.DeleteChainAsync(call.Value(name), call.Ct);
            call.Out.Done($"chain {call.Value(name)} deleted");
        });

        yield return new Command("chains", "Whole graphs applied with apply") { list, get, delete };
    }

    private static async Task<ChainSpec> ReadSpecAsync(string path, TextReader stdin, CancellationToken ct)
    {
        try
        {
            return path == Stdin
                ? ChainSpecFile.Parse(await stdin.ReadToEndAsync(ct), "stdin")
                : await ChainSpecFile.LoadAsync(path, ct);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {path}: {e.Message}", e);
        }
    }

    private static Table ModulesTable(ChainSpec chain)
    {
        var table = new Table("MODULE", "TYPE", "HOOK", "PORTS", "CONFIG");
        foreach (var m in chain.Modules)
        {
            table.Add(m.Name, m.Type, m.Hook, m.Ports.Count == 0 ? null : string.Join(",", m.Ports.Select(p => p.Name)), m.Config);
        }
        return table;
    }

    private static Table LinksTable(ChainSpec chain)
    {
        var table = new Table("FROM", "TO");
        foreach (var l in chain.Links)
        {
            table.Add(l.From, l.To);
        }
        return table;
    }

    private static Table EntriesTable(ChainSpec chain)
    {
        var table = new Table("MODULE", "TABLE", "KEY", "ENTRY");
        foreach (var e in chain.Entries)
        {
            table.Add(e.Module, e.Table, e.Key, e.Entry);
        }
        return table;
    }
}
