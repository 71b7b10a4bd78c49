using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.IoModules;

namespace IoVisor.Hover.Graph;

/// <summary>
/// The difference between a chain's previous spec, its new one and the graph as it is, as kernel
/// steps. Compared with the graph, not only with the previous spec, so a chain object changed or
/// removed behind the chain's back is put right. Pure: it reads the graph and touches neither the
/// kernel nor the disk, so a spec that clashes with the graph is refused before the first step.
/// </summary>
public sealed class ChainPlanner
{
    private readonly GraphState _state;
    private readonly ChainState _desired;
    private readonly ChainState? _previous;
    private readonly Dictionary<string, ChainModule> _previousModules;
    private readonly ModuleTypeRegistry _types;
    private readonly ConfigErrors _errors = new();
    private GraphState _next;

    // Modules the plan loads anew (new, or recreated because their type or hook changed): all their
    // ports, entries and links are new too.
    private readonly HashSet<string> _fresh = new(StringComparer.Ordinal);

    // Modules that stay loaded and are compared part by part.
    private readonly List<(int Index, ChainModule Desired, ModuleState Current)> _kept = [];

    private readonly List<ModuleState> _gone = [];
    private readonly List<(string Module, PortState Port)> _droppedPorts = [];

    // Ports of kept modules whose config the plan changes: their links are checked again.
    private readonly HashSet<LinkEnd> _reconfiguredPorts = [];

    // IsInGraph's look-ups by module and table: whether the table exists, and its persisted entries
    // (null for a table that does not persist them).
    private readonly Dictionary<(string Module, string Table), (bool Exists, ImmutableSortedDictionary<string, JsonObject>? Persisted)> _tables = [];

    private readonly List<ChainStep> _linkRemovals = [];
    private readonly List<ChainStep> _entryDeletions = [];
    private readonly List<ChainStep> _portRemovals = [];
    private readonly List<ChainStep> _moduleDeletions = [];
    private readonly List<ChainStep> _moduleChanges = [];
    private readonly List<ChainStep> _moduleCreations = [];
    private readonly List<ChainStep> _portChanges = [];
    private readonly List<ChainStep> _portCreations = [];
    private readonly List<ChainStep> _entryWrites = [];
    private readonly List<ChainStep> _linkCreations = [];

    private ChainPlanner(GraphState state, ChainState desired, ModuleTypeRegistry types)
    {
        _state = state;
        _next = state;
        _desired = desired;
        _previous = state.Chains.GetValueOrDefault(desired.Name);
        _previousModules = (_previous?.Modules ?? []).ToDictionary(m => m.Name, StringComparer.Ordinal);
        _types = types;
    }

    /// <summary>Throws <see cref="ConflictException"/> when the spec clashes with what the chain does not
    /// own, and <see cref="ConfigException"/> (every error at once) when a link cannot join the graph.</summary>
    public static ChainPlan Plan(GraphState state, ChainState desired, ModuleTypeRegistry types) =>
        new ChainPlanner(state, desired, types).Build();

    private ChainPlan Build()
    {
        CheckOwnership();
        SortModules();
        RemoveLinks();
        var chain = PlanEntries();
        RemovePortsAndModules();
        ChangeKeptModules();
        CreateFreshModules();
        CreateLinks();
        _errors.ThrowIfAny();
        IEnumerable<ChainStep> steps =
        [
            .. _linkRemovals, .. _entryDeletions, .. _portRemovals, .. _moduleDeletions, .. _moduleChanges,
            .. _moduleCreations, .. _portChanges, .. _portCreations, .. _entryWrites, .. _linkCreations,
        ];
        return new ChainPlan(steps.ToList(), _next, chain);
    }

    private void CheckOwnership()
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chain in _state.Chains.Values.Where(c => c.Name != _desired.Name))
        {
            foreach (var module in chain.Modules)
            {
                owners.TryAdd(module.Name, chain.Name);
            }
        }
        for (var i = 0; i < _desired.Modules.Length; i++)
        {
            var name = _desired.Modules[i].Name;
            if (owners.TryGetValue(name, out var owner))
            {
                throw new ConflictException($"modules[{i}].name", $"module '{name}' belongs to chain '{owner}'");
            }
            if (_state.Modules.ContainsKey(name) && !_previousModules.ContainsKey(name))
            {
                throw new ConflictException($"modules[{i}].name", $"a module named '{name}' exists and chain '{_desired.Name}' does not own it");
            }
        }
    }

    private void SortModules()
    {
        for (var i = 0; i < _desired.Modules.Length; i++)
        {
            var desired = _desired.Modules[i];
            if (!_state.Modules.TryGetValue(desired.Name, out var current))
            {
                _fresh.Add(desired.Name);
            }
            else if (current.Type != desired.Type || current.Hook != desired.Hook)
            {
                _gone.Add(current);
                _fresh.Add(desired.Name);
            }
            else
            {
                _kept.Add((i, desired, current));
                var previous = _previousModules.GetValueOrDefault(desired.Name);
                _droppedPorts.AddRange(current.Ports.Values
                    .Where(p => desired.PortNamed(p.Name) is null && previous?.PortNamed(p.Name) is not null)
                    .Select(p => (desired.Name, p)));
            }
        }
        var desiredNames = _desired.Modules.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var previous in _previous?.Modules ?? [])
        {
            if (!desiredNames.Contains(previous.Name) && _state.Modules.TryGetValue(previous.Name, out var current))
            {
                _gone.Add(current);
            }
        }
    }

    /// <summary>Links the chain owned and no longer wants, and every link of a port or module that goes
    /// (as DELETE on the port or module would).</summary>
    private void RemoveLinks()
    {
        var goneModules = _gone.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var goneEnds = _droppedPorts.Select(d => new LinkEnd(d.Module, d.Port.Name)).ToHashSet();
        bool Goes(LinkEnd e) => !e.IsNetdev && (goneModules.Contains(e.Module) || goneEnds.Contains(e));
        var previous = Joined(_previous?.Links ?? []);
        var desired = Joined(_desired.Links);
        foreach (var link in _state.Links.Values)
        {
            var dropped = previous.Contains((link.From, link.To)) && !desired.Contains((link.From, link.To));
            if (dropped || Goes(link.From) || Goes(link.To))
            {
                _linkRemovals.Add(new RemoveLinkStep(link));
                _next = _next with { Links = _next.Links.Remove(link.Id) };
            }
        }
    }

    /// <summary>The ends of every link, both ways round: a graph link joins one of them when its (from, to) is in the set.</summary>
    private static HashSet<(LinkEnd, LinkEnd)> Joined(IEnumerable<ChainLink> links) =>
        links.SelectMany(l => new[] { (l.From, l.To), (l.To, l.From) }).ToHashSet();

    /// <summary>Entries written before and unchanged stay; the others are written; entries the chain
    /// owned on a module that stays and no longer wants are deleted.</summary>
    private ChainState PlanEntries()
    {
        var previous = _previous?.Entries ?? [];
        var matched = new bool[previous.Length];
        // The previous entries by module, table and key, in spec order, made when first needed.
        Dictionary<(string Module, string Table, string? Key), List<int>>? candidates = null;

        // The previous entry that is the same as entries[i] (by key, or by content when it has none), not
        // taken yet. An applied chain never holds two such entries (CheckEntries), so the one at the same
        // place, where a spec that changed little has it, is the only one.
        ChainEntry? Match(int i, ChainEntry entry)
        {
            var at = i < previous.Length && !matched[i] && previous[i].SameAs(entry) ? i : -1;
            if (at < 0)
            {
                candidates ??= previous.Select((p, j) => (p, j)).GroupBy(x => (x.p.Module, x.p.Table, x.p.Key))
                    .ToDictionary(g => g.Key, g => g.Select(x => x.j).ToList());
                at = candidates.GetValueOrDefault((entry.Module, entry.Table, entry.Key))?.FirstOrDefault(j => !matched[j] && previous[j].SameAs(entry), -1) ?? -1;
            }
            if (at < 0)
            {
                return null;
            }
            matched[at] = true;
            return previous[at];
        }

        var entries = _desired.Entries.ToBuilder();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var match = _fresh.Contains(entry.Module) ? null : Match(i, entry);
            var present = match?.AppliedKey is { } key && IsInGraph(entry.Module, entry.Table, key);
            if (present && match!.SameEntry(entry))
            {
                // The same entry in every respect: the chain keeps the instance it had (see StateFragments).
                entries[i] = match;
                continue;
            }
            _entryWrites.Add(new PutEntryStep(i, entry, present ? "update" : "create"));
        }
        var kept = _kept.Select(k => k.Desired.Name).ToHashSet(StringComparer.Ordinal);
        // Last first: a spec writes what others name before them (a service before its backends), so
        // they go in the reverse order.
        for (var j = previous.Length - 1; j >= 0; j--)
        {
            var old = previous[j];
            if (!matched[j] && kept.Contains(old.Module) && old.AppliedKey is { } key && IsInGraph(old.Module, old.Table, key))
            {
                _entryDeletions.Add(new DeleteEntryStep(old.Module, old.Table, key));
                var module = _next.Modules[old.Module];
                _next = _next.WithModule(module with { Entries = module.Entries.SetItem(old.Table, module.EntriesOf(old.Table).Remove(key)) });
            }
        }
        // A module as it was keeps its instance too.
        var modules = _desired.Modules.Select(m => _previousModules.TryGetValue(m.Name, out var p) && p.Matches(m) ? p : m);
        return _desired with { Modules = [.. modules], Entries = entries.ToImmutable() };
    }

    /// <summary>Entries of persistent tables are in the graph state; those of the others are taken to be
    /// in the kernel as written.</summary>
    private bool IsInGraph(string module, string table, string key)
    {
        if (!_tables.TryGetValue((module, table), out var t))
        {
            var current = _state.Modules[module];
            var info = _types.Get(current.Type).Tables.FirstOrDefault(i => i.Name == table);
            _tables[(module, table)] = t = (info is not null, info?.Persistent == true ? current.EntriesOf(table) : null);
        }
        return t.Exists && (t.Persisted is null || t.Persisted.ContainsKey(key));
    }

    private void RemovePortsAndModules()
    {
        foreach (var (module, port) in _droppedPorts)
        {
            _portRemovals.Add(new RemovePortStep(module, port));
            var m = _next.Modules[module];
            _next = _next.WithModule(m with { Ports = m.Ports.Remove(port.Name) });
        }
        foreach (var module in _gone)
        {
            _moduleDeletions.Add(new DeleteModuleStep(module));
            _next = _next with { Modules = _next.Modules.Remove(module.Name) };
        }
    }

    private void ChangeKeptModules()
    {
        foreach (var (i, desired, current) in _kept)
        {
            var module = _next.Modules[desired.Name];
            if (!JsonNode.DeepEquals(current.Config, desired.Config))
            {
                _moduleChanges.Add(new ConfigureModuleStep(current, desired.Config));
                module = module with { Config = desired.Config };
            }
            var maxPorts = _types.Get(desired.Type).MaxPorts;
            foreach (var port in desired.Ports)
            {
                if (module.Ports.TryGetValue(port.Name, out var existing))
                {
                    if (!JsonNode.DeepEquals(existing.Config, port.Config))
                    {
                        _portChanges.Add(new ConfigurePortStep(desired.Name, existing, port.Config));
                        _reconfiguredPorts.Add(new LinkEnd(desired.Name, port.Name));
                        module = module with { Ports = module.Ports.SetItem(port.Name, existing with { Config = port.Config }) };
                    }
                    continue;
                }
                var index = Slots.FreePort(module.Ports.Values.Select(p => p.Index), maxPorts)
                    ?? throw new ConflictException($"modules[{i}].ports", $"a {desired.Type} has at most {maxPorts} ports");
                var added = new PortState(port.Name, index, port.Config);
                _portCreations.Add(new AddPortStep(desired.Name, added));
                module = module with { Ports = module.Ports.SetItem(port.Name, added) };
            }
            _next = _next.WithModule(module);
        }
    }

    private void CreateFreshModules()
    {
        // A slot freed by this change is not reused by it: the old module leaves it only once the change is saved.
        var taken = _state.Modules.Values.Select(m => m.Index).ToHashSet();
        for (var i = 0; i < _desired.Modules.Length; i++)
        {
            var desired = _desired.Modules[i];
            if (!_fresh.Contains(desired.Name))
            {
                continue;
            }
            var index = Slots.FreeModule(taken.Concat(_next.Modules.Values.Select(m => m.Index)))
                ?? throw new ConflictException($"modules[{i}].name", "no free module slot");
            var module = new ModuleDraft(desired.Name, _types.Get(desired.Type), desired.Hook, desired.Config).At(index);
            _moduleCreations.Add(new CreateModuleStep(module));
            for (var j = 0; j < desired.Ports.Length; j++)
            {
                var port = new PortState(desired.Ports[j].Name, j, desired.Ports[j].Config);
                _portCreations.Add(new AddPortStep(desired.Name, port));
                module = module with { Ports = module.Ports.Add(port.Name, port) };
            }
            _next = _next.WithModule(module);
        }
    }

    /// <summary>Links of the spec the graph lacks, each checked against the graph it joins; a kept link
    /// whose port changed is checked again, as PATCH on the port would.</summary>
    private void CreateLinks()
    {
        var byEnds = new Dictionary<(LinkEnd, LinkEnd), LinkState>();
        foreach (var link in _next.Links.Values)
        {
            byEnds.TryAdd((link.From, link.To), link);
            byEnds.TryAdd((link.To, link.From), link);
        }
        for (var i = 0; i < _desired.Links.Length; i++)
        {
            var wanted = _desired.Links[i];
            var path = $"links[{i}].";
            if (byEnds.TryGetValue((wanted.From, wanted.To), out var existing))
            {
                if (_reconfiguredPorts.Contains(existing.From) || _reconfiguredPorts.Contains(existing.To))
                {
                    Collect(path, () => CheckPeers(existing));
                }
                continue;
            }
            var link = new LinkState($"l{_next.NextLinkId}", wanted.From, wanted.To);
            try
            {
                LinkValidation.Validate(_next, link, _types);
            }
            catch (ConflictException e)
            {
                throw new ConflictException(path + e.Field, e.Message);
            }
            catch (ConfigException e)
            {
                _errors.AddRange(e.Errors.Under(path));
                continue;
            }
            _linkCreations.Add(new CreateLinkStep(link));
            byEnds.TryAdd((link.From, link.To), link);
            byEnds.TryAdd((link.To, link.From), link);
            _next = _next with { Links = _next.Links.Add(link.Id, link), NextLinkId = _next.NextLinkId + 1 };
        }
    }

    private void CheckPeers(LinkState link)
    {
        foreach (var (end, other) in new[] { (link.From, link.To), (link.To, link.From) })
        {
            if (!end.IsNetdev)
            {
                var module = _next.Modules[end.Module];
                _types.Get(module.Type).ValidatePeer(module.Ports[end.Port].Config, other.IsNetdev ? PeerKind.Netdev : PeerKind.Module);
            }
        }
    }

    private void Collect(string path, Action check)
    {
        try
        {
            check();
        }
        catch (ConfigException e)
        {
            _errors.AddRange(e.Errors.Under(path));
        }
    }
}
