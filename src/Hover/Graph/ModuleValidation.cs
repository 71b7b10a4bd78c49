using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.IoModules;

namespace IoVisor.Hover.Graph;

/// <summary>A module as a user described it, checked and with its config normalized; it has no
/// patch-panel slot yet.</summary>
public sealed record ModuleDraft(string Name, IModuleType Type, HookKind Hook, JsonObject Config)
{
    public ModuleState At(int index) => new(Name, Type.Name, Hook, index, Config,
        ImmutableSortedDictionary.Create<string, PortState>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, JsonObject>>(StringComparer.Ordinal));
}

/// <summary>
/// The checks of a module or port as written in a request, shared by the single-resource endpoints
/// and by chains. Every error goes into <see cref="ConfigErrors"/> under <c>path</c> ("" for a
/// POST /modules body, "modules[1]." inside a chain), so the answer names the exact element.
/// </summary>
public static class ModuleValidation
{
    public static ModuleDraft? Module(ModuleTypeRegistry types, string? name, string? type, string? hook, JsonObject? config,
        ConfigErrors errors, string path)
    {
        var before = errors.Items.Count;
        if (!Names.IsValid(name))
        {
            errors.Add(path + "name", Names.Rule);
        }
        var moduleType = type is null ? null : types.Find(type);
        if (moduleType is null)
        {
            errors.Add(path + "type", $"must be one of: {string.Join(", ", types.Names.Order(StringComparer.Ordinal))}");
        }
        var hookKind = HookOf(hook);
        if (hookKind is null)
        {
            errors.Add(path + "hook", "must be tc or xdp");
        }
        JsonObject? normalized = null;
        if (moduleType is not null)
        {
            try
            {
                normalized = moduleType.NormalizeConfig(config);
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors.Under(path));
            }
        }
        return errors.Items.Count == before ? new ModuleDraft(name!, moduleType!, hookKind!.Value, normalized!) : null;
    }

    /// <summary>A port's name and config; returns the normalized config, or null when either is wrong.</summary>
    public static JsonObject? Port(IModuleType type, string? name, JsonObject? config, ConfigErrors errors, string path)
    {
        var before = errors.Items.Count;
        if (!Names.IsValid(name))
        {
            errors.Add(path + "name", Names.Rule);
        }
        JsonObject? normalized = null;
        try
        {
            normalized = type.NormalizePortConfig(config);
        }
        catch (ConfigException e)
        {
            errors.AddRange(e.Errors.Under(path));
        }
        return errors.Items.Count == before ? normalized : null;
    }

    /// <summary>tc when not given.</summary>
    public static HookKind? HookOf(string? hook) => hook switch
    {
        "tc" or null => HookKind.Tc,
        "xdp" => HookKind.Xdp,
        _ => null,
    };

    /// <summary>The same errors with their fields moved under <paramref name="path"/> ("config.vlan" → "modules[0].ports[1].config.vlan").</summary>
    public static IEnumerable<ConfigError> Under(this IEnumerable<ConfigError> errors, string path) =>
        errors.Select(e => e with { Field = path + e.Field });
}
