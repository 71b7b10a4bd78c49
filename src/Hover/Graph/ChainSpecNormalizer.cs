using System.Collections.Immutable;
using IoVisor.IoModules;

namespace IoVisor.Hover.Graph;

/// <summary>
/// Checks a chain spec on its own, before the graph is looked at: every field error of the whole
/// spec is collected and named by its JSON path ("modules[1].ports[0].config.vlan"), so one answer
/// lists them all. What needs the graph (name clashes, interfaces, free slots) is the planner's.
/// </summary>
public static class ChainSpecNormalizer
{
    public static ChainState Normalize(ChainSpec? spec, ModuleTypeRegistry types)
    {
        if (spec is null)
        {
            throw new ConfigException("body", "a chain spec is required");
        }
        var errors = new ConfigErrors();
        if (!Names.IsValid(spec.Name))
        {
            errors.Add("name", Names.Rule);
        }
        var declared = new Dictionary<string, Declared>(StringComparer.Ordinal);
        var modules = Modules(spec.Modules ?? [], types, declared, errors);
        var links = Links(spec.Links ?? [], declared, errors);
        var entries = Entries(spec.Entries ?? [], declared, errors);
        errors.ThrowIfAny();
        return new ChainState(spec.Name!, modules, links, entries);
    }

    /// <summary>A module name the spec declares, valid or not, with its type when that is known and its
    /// port names: links and entries are checked against it without repeating the module's own errors.</summary>
    private sealed record Declared(IModuleType? Type, HookKind? Hook, Dictionary<string, ChainPort?> Ports);

    private static ImmutableArray<ChainModule> Modules(IReadOnlyList<ChainModuleSpec?> specs, ModuleTypeRegistry types,
        Dictionary<string, Declared> declared, ConfigErrors errors)
    {
        var modules = ImmutableArray.CreateBuilder<ChainModule>();
        for (var i = 0; i < specs.Count; i++)
        {
            var path = $"modules[{i}]";
            if (specs[i] is not { } spec)
            {
                errors.Add(path, "must be an object");
                continue;
            }
            var draft = ModuleValidation.Module(types, spec.Name, spec.Type, spec.Hook, spec.Config, errors, path + ".");
            if (spec.Name is not null && declared.ContainsKey(spec.Name))
            {
                errors.Add(path + ".name", $"another module of the chain is named '{spec.Name}'");
                continue;
            }
            var type = spec.Type is null ? null : types.Find(spec.Type);
            var ports = Ports(spec.Ports ?? [], type, errors, path);
            if (spec.Name is not null)
            {
                declared[spec.Name] = new Declared(type, ModuleValidation.HookOf(spec.Hook), ports);
            }
            if (draft is not null && ports.Values.All(p => p is not null))
            {
                modules.Add(new ChainModule(draft.Name, draft.Type.Name, draft.Hook, draft.Config, [.. ports.Values.OfType<ChainPort>()]));
            }
        }
        return modules.ToImmutable();
    }

    /// <summary>Ports by name in spec order; a port with errors maps to null.</summary>
    private static Dictionary<string, ChainPort?> Ports(IReadOnlyList<ChainPortSpec?> specs, IModuleType? type, ConfigErrors errors, string modulePath)
    {
        var ports = new Dictionary<string, ChainPort?>(StringComparer.Ordinal);
        if (type is not null && specs.Count > type.MaxPorts)
        {
            errors.Add(modulePath + ".ports", $"a {type.Name} has at most {type.MaxPorts} ports");
        }
        for (var j = 0; j < specs.Count; j++)
        {
            var path = $"{modulePath}.ports[{j}]";
            if (specs[j] is not { } spec)
            {
                errors.Add(path, "must be an object");
                continue;
            }
            if (spec.Name is not null && ports.ContainsKey(spec.Name))
            {
                errors.Add(path + ".name", $"another port of the module is named '{spec.Name}'");
                continue;
            }
            var config = type is null
                ? null
                : ModuleValidation.Port(type, spec.Name, spec.Config, errors, path + ".");
            if (spec.Name is not null)
            {
                ports[spec.Name] = config is null ? null : new ChainPort(spec.Name, config);
            }
        }
        return ports;
    }

    private static ImmutableArray<ChainLink> Links(IReadOnlyList<ChainLinkSpec?> specs, Dictionary<string, Declared> declared, ConfigErrors errors)
    {
        var links = ImmutableArray.CreateBuilder<ChainLink>();
        var linkedBy = new Dictionary<LinkEnd, int>();
        for (var i = 0; i < specs.Count; i++)
        {
            var path = $"links[{i}]";
            if (specs[i] is not { } spec)
            {
                errors.Add(path, "must be an object");
                continue;
            }
            var from = End(spec.From, declared, errors, path + ".from");
            var to = End(spec.To, declared, errors, path + ".to");
            if (from is null || to is null)
            {
                continue;
            }
            if (from.IsNetdev && to.IsNetdev)
            {
                errors.Add(path + ".to", "a link needs at least one module port");
                continue;
            }
            if (from.IsNetdev)
            {
                (from, to) = (to, from);
            }
            if (from == to)
            {
                errors.Add(path + ".to", "a port cannot be linked to itself");
                continue;
            }
            var before = errors.Items.Count;
            foreach (var (end, field) in new[] { (from, "from"), (to, "to") })
            {
                if (linkedBy.TryGetValue(end, out var other))
                {
                    errors.Add($"{path}.{field}", $"{end} is already linked by links[{other}]");
                }
            }
            if (!to.IsNetdev && declared[from.Module].Hook is { } a && declared[to.Module].Hook is { } b && a != b)
            {
                errors.Add(path + ".to", $"'{from.Module}' runs at {a.ObjectSuffix()} and '{to.Module}' at {b.ObjectSuffix()}: linked modules must share a hook");
            }
            if (errors.Items.Count == before)
            {
                linkedBy[from] = i;
                linkedBy[to] = i;
                links.Add(new ChainLink(from, to));
            }
        }
        return links.ToImmutable();
    }

    /// <summary>A netdev, or a port the spec declares; null (with an error unless the module's own
    /// errors already explain it) otherwise.</summary>
    private static LinkEnd? End(string? text, Dictionary<string, Declared> declared, ConfigErrors errors, string field)
    {
        if (!LinkEnd.TryParse(text, out var end))
        {
            errors.Add(field, "must be <module>:<port> or netdev:<interface>");
            return null;
        }
        if (end.IsNetdev)
        {
            return end;
        }
        if (!declared.TryGetValue(end.Module, out var module))
        {
            errors.Add(field, $"the chain has no module '{end.Module}'");
            return null;
        }
        if (!module.Ports.TryGetValue(end.Port, out var port))
        {
            errors.Add(field, $"module '{end.Module}' has no port '{end.Port}' in the chain");
            return null;
        }
        return port is null ? null : end;
    }

    private static ImmutableArray<ChainEntry> Entries(IReadOnlyList<ChainEntrySpec?> specs, Dictionary<string, Declared> declared, ConfigErrors errors)
    {
        var entries = ImmutableArray.CreateBuilder<ChainEntry>();
        for (var i = 0; i < specs.Count; i++)
        {
            var path = $"entries[{i}]";
            if (specs[i] is not { } spec)
            {
                errors.Add(path, "must be an object");
                continue;
            }
            var before = errors.Items.Count;
            if (spec.Module is null || !declared.TryGetValue(spec.Module, out var module))
            {
                errors.Add(path + ".module", "must name a module of the chain");
            }
            else if (module.Type is { } type)
            {
                var table = type.Tables.FirstOrDefault(t => t.Name == spec.Table);
                if (table is null)
                {
                    errors.Add(path + ".table", $"a {type.Name} has tables: {string.Join(", ", type.Tables.Select(t => t.Name))}");
                }
                else if (!table.Writable)
                {
                    errors.Add(path + ".table", $"table '{table.Name}' is read-only");
                }
            }
            if (spec.Key is { Length: 0 })
            {
                errors.Add(path + ".key", "must not be empty; leave it out to let the table derive it");
            }
            if (spec.Entry is null)
            {
                errors.Add(path + ".entry", "required");
            }
            if (errors.Items.Count == before)
            {
                entries.Add(new ChainEntry(spec.Module!, spec.Table!, spec.Key, spec.Entry!, AppliedKey: null));
            }
        }
        return entries.ToImmutable();
    }
}
