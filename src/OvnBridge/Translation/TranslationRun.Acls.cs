using System.Text.Json.Nodes;
using IoVisor.OvnBridge.Matching;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Translation;

/// <summary>ACLs: every ACL of a switch or port group is compiled, wherever it applies, so that
/// an untranslatable match is reported even when no port of this host uses it. A switch's ports
/// get its own ACLs and those of every port group with a member on it (ovn-nb(5)); inport and
/// outport then select the ports.</summary>
internal sealed partial class TranslationRun
{
    private Dictionary<Guid, CompiledAcl> CompileAcls()
    {
        if (!aclPass.Holds(nb, addressSets))
        {
            AclsCompiled = true;
            var used = new ResolvedSets(addressSets);
            var referenced = nb.Switches.Values.SelectMany(s => s.Acls).Concat(nb.PortGroups.Values.SelectMany(g => g.Acls)).ToHashSet();
            var compiled = new Dictionary<Guid, CompiledAcl>(referenced.Count);
            foreach (var uuid in referenced)
            {
                if (nb.Acls.TryGetValue(uuid, out var acl))
                {
                    compiled[uuid] = aclCompiler.Compile(acl, used);
                }
            }
            aclPass.Remember(nb, used, compiled);
        }
        foreach (var (acl, result) in aclPass.Reported)
        {
            if (result.Error is { } error)
            {
                untranslated.Add(Refs.Of(acl), error);
            }
            foreach (var note in result.Notes)
            {
                untranslated.AddPartial(Refs.Of(acl), note);
            }
        }
        return aclPass.Compiled;
    }

    /// <summary>The translatable ACLs that apply on <paramref name="ls"/>, highest priority first.</summary>
    private List<(Acl Row, CompiledAcl Compiled)> ApplicableAcls(LogicalSwitch ls, IReadOnlyDictionary<Guid, CompiledAcl> compiled)
    {
        var groups = index.SwitchesOfGroup.Where(g => g.Value.Contains(ls.Uuid)).Select(g => nb.PortGroups[g.Key]);
        return ls.Acls.Concat(groups.SelectMany(g => g.Acls))
            .Distinct()
            .Where(uuid => compiled.TryGetValue(uuid, out var c) && c.Error is null)
            .Select(uuid => (nb.Acls[uuid], compiled[uuid]))
            .OrderByDescending(a => a.Item1.Priority).ThenBy(a => a.Item1.Uuid)
            .ToList();
    }

    private List<(string, string?, JsonObject)> FirewallEntries(LogicalSwitchPort lsp, IReadOnlyList<(Acl Row, CompiledAcl Compiled)> acls, bool stateful)
    {
        var groups = index.GroupsOf(lsp);
        var entries = new List<(string, string?, JsonObject)>();
        foreach (var (row, compiled) in acls)
        {
            var n = 0;
            foreach (var rule in compiled.RulesFor(lsp.Name, groups))
            {
                var key = $"acl-{row.Uuid:N}-{n++}";
                entries.Add((ModuleJson.FirewallRules, key, ModuleJson.FirewallRule(rule, stateful, key, row.Name is { Length: > 0 } name ? name : null)));
            }
        }
        if (stateful)
        {
            entries.AddRange(ModuleJson.StatefulDefaults().Select(rule => (ModuleJson.FirewallRules, (string?)rule["key"], rule)));
        }
        return entries;
    }
}
