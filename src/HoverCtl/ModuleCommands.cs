using System.CommandLine;
using IoVisor.Hover.Client;

namespace IoVisor.HoverCtl;

/// <summary><c>hoverctl modules list|get|create|patch|delete</c>.</summary>
internal static class ModuleCommands
{
    public static Command Create(ApiActions actions)
    {
        var name = new Argument<string>("name") { Description = "Module name (br1)" };

        var list = new Command("list", "List modules");
        actions.Set(list, async call =>
        {
            var modules = await call.Api.ListModulesAsync(call.Ct);
            call.Out.Print(modules, ModulesTable(modules));
        });

        var get = new Command("get", "Show a module and its ports") { name };
        actions.Set(get, async call =>
        {
            var module = await call.Api.GetModuleAsync(call.Value(name), call.Ct);
            call.Out.Print(module, ModulesTable([module]), PortCommands.PortsTable(module.Ports));
        });

        var type = new Option<string>("--type") { Description = "Module type (bridge)", Required = true };
        var hook = new Option<string>("--hook") { Description = "Where the module runs [default: tc]" };
        hook.AcceptOnlyFromAmong("tc", "xdp");
        var createConfig = JsonObjectOption.Create("--config", "Type-specific config, e.g. '{\"agingSeconds\":300}'");
        var create = new Command("create", "Create a module") { name, type, hook, createConfig };
        actions.Set(create, async call =>
        {
            var request = new ModuleCreateRequest(call.Value(name), call.Value(type)!, call.Value(hook), call.Value(createConfig));
            var module = await call.Api.CreateModuleAsync(request, call.Ct);
            call.Out.Print(module, ModulesTable([module]));
        });

        var patchConfig = JsonObjectOption.Create("--config", "Fields to change, merged into the current config", required: true);
        var patch = new Command("patch", "Change a module's config") { name, patchConfig };
        actions.Set(patch, async call =>
        {
            var module = await call.Api.PatchModuleAsync(call.Value(name), new ModulePatchRequest(call.Value(patchConfig)!), call.Ct);
            call.Out.Print(module, ModulesTable([module]));
        });

        var delete = new Command("delete", "Delete a module, its links and its kernel state") { name };
        actions.Set(delete, async call =>
        {
            await call.Api.DeleteModuleAsync(call.Value(name), call.Ct);
            call.Out.Done($"module {call.Value(name)} deleted");
        });

        return new Command("modules", "Create, inspect, configure and delete modules") { list, get, create, patch, delete };
    }

    private static Table ModulesTable(IEnumerable<ModuleView> modules)
    {
        var table = new Table("NAME", "TYPE", "HOOK", "INDEX", "PORTS", "CONFIG");
        foreach (var m in modules)
        {
            table.Add(m.Name, m.Type, m.Hook, m.Index, m.Ports.Count == 0 ? null : string.Join(",", m.Ports.Select(p => p.Name)), m.Config);
        }
        return table;
    }
}
