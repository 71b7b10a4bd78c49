using System.CommandLine;
using IoVisor.Hover.Client;

namespace IoVisor.HoverCtl;

/// <summary><c>hoverctl ports list|get|add|set|delete</c>.</summary>
internal static class PortCommands
{
    public static Command Create(ApiActions actions)
    {
        var module = new Argument<string>("module") { Description = "Module name" };
        var port = new Argument<string>("port") { Description = "Port name" };

        var list = new Command("list", "List a module's ports") { module };
        actions.Set(list, async call =>
        {
            var ports = await call.Api.ListPortsAsync(call.Value(module), call.Ct);
            call.Out.Print(ports, PortsTable(ports));
        });

        var get = new Command("get", "Show a port") { module, port };
        actions.Set(get, async call =>
        {
            var view = await call.Api.GetPortAsync(call.Value(module), call.Value(port), call.Ct);
            call.Out.Print(view, PortsTable([view]));
        });

        var addConfig = JsonObjectOption.Create("--config", "Port config, e.g. '{\"mode\":\"access\",\"vlan\":10}'");
        var add = new Command("add", "Add a port to a module") { module, port, addConfig };
        actions.Set(add, async call =>
        {
            var view = await call.Api.AddPortAsync(call.Value(module), new PortCreateRequest(call.Value(port), call.Value(addConfig)), call.Ct);
            call.Out.Print(view, PortsTable([view]));
        });

        var setConfig = JsonObjectOption.Create("--config", "The port's new config (replaces the old one)", required: true);
        var set = new Command("set", "Replace a port's config") { module, port, setConfig };
        actions.Set(set, async call =>
        {
            var view = await call.Api.PatchPortAsync(call.Value(module), call.Value(port), new PortPatchRequest(call.Value(setConfig)!), call.Ct);
            call.Out.Print(view, PortsTable([view]));
        });

        var delete = new Command("delete", "Delete a port and its link") { module, port };
        actions.Set(delete, async call =>
        {
            await call.Api.DeletePortAsync(call.Value(module), call.Value(port), call.Ct);
            call.Out.Done($"port {call.Value(module)}:{call.Value(port)} deleted");
        });

        return new Command("ports", "Add, configure and delete module ports") { list, get, add, set, delete };
    }

    public static Table PortsTable(IEnumerable<PortView> ports)
    {
        var table = new Table("PORT", "INDEX", "PEER", "CONFIG");
        foreach (var p in ports)
        {
            table.Add(p.Name, p.Index, p.Peer, p.Config);
        }
        return table;
    }
}
