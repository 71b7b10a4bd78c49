using System.CommandLine;
using IoVisor.Hover.Client;

namespace IoVisor.HoverCtl;

/// <summary><c>hoverctl links list|get|create|delete</c>.</summary>
internal static class LinkCommands
{
    public static Command Create(ApiActions actions)
    {
        var id = new Argument<string>("id") { Description = "Link id, as links list shows it" };

        var list = new Command("list", "List links");
        actions.Set(list, async call =>
        {
            var links = await call.Api.ListLinksAsync(call.Ct);
            call.Out.Print(links, LinksTable(links));
        });

        var get = new Command("get", "Show a link") { id };
        actions.Set(get, async call =>
        {
            var link = await call.Api.GetLinkAsync(call.Value(id), call.Ct);
            call.Out.Print(link, LinksTable([link]));
        });

        var from = new Argument<string>("from") { Description = "Module port: br1:p1" };
        var to = new Argument<string>("to") { Description = "netdev:veth0 or another module port: r1:eth0" };
        var create = new Command("create", "Link a module port to a netdev or to another module's port") { from, to };
        actions.Set(create, async call =>
        {
            var link = await call.Api.CreateLinkAsync(new LinkRequest(call.Value(from), call.Value(to)), call.Ct);
            call.Out.Print(link, LinksTable([link]));
        });

        var delete = new Command("delete", "Remove a link") { id };
        actions.Set(delete, async call =>
        {
            await call.Api.DeleteLinkAsync(call.Value(id), call.Ct);
            call.Out.Done($"link {call.Value(id)} deleted");
        });

        return new Command("links", "Connect module ports to netdevs and to each other") { list, get, create, delete };
    }

    private static Table LinksTable(IEnumerable<LinkView> links)
    {
        var table = new Table("ID", "FROM", "TO");
        foreach (var l in links)
        {
            table.Add(l.Id, l.From, l.To);
        }
        return table;
    }
}
