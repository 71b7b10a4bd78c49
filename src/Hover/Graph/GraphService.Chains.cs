using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IoVisor.Hover.Kernel;
using IoVisor.IoModules;

namespace IoVisor.Hover.Graph;

/// <summary>Chains: a whole graph applied as one change, with one undo journal and one save.</summary>
public sealed partial class GraphService
{
    public ChainState Chain(string name) =>
        _state.Chains.TryGetValue(name, out var c) ? c : throw new NotFoundException($"no chain '{name}'");

    /// <summary>Brings the graph to <paramref name="spec"/>: the whole spec is checked first (400 naming
    /// every field at fault, 409 on a clash with what the chain does not own), then the difference is
    /// applied; any failure on the way takes every step back.</summary>
    public async Task<ChainApplyResult> ApplyChainAsync(ChainSpec? spec, CancellationToken ct)
    {
        var desired = ChainSpecNormalizer.Normalize(spec, types);
        var prepare = (GraphState _, CancellationToken token) =>
            PrepareObjectsAsync(desired.Modules.Select((m, i) => (m.Type, m.Config, m.Hook, Path: $"modules[{i}].")), token);
        return await ChangeAsync<ChainApplyResult>(ct, prepare, (state, journal) =>
        {
            var plan = ChainPlanner.Plan(state, desired, types);
            var (next, chain, changes, commit) = RunPlan(state, plan, journal);
            if (changes.Count == 0 && chain.Matches(state.Chains.GetValueOrDefault(chain.Name)))
            {
                return (state, new ChainApplyResult(chain.Name, changes), null);
            }
            return (next with { Chains = next.Chains.SetItem(chain.Name, chain) }, new ChainApplyResult(chain.Name, changes), commit);
        });
    }

    /// <summary>Deletes everything the chain owns, then the chain.</summary>
    public Task<bool> DeleteChainAsync(string name, CancellationToken ct) =>
        ChangeAsync<bool>(ct, (state, journal) =>
        {
            if (!state.Chains.ContainsKey(name))
            {
                throw new NotFoundException($"no chain '{name}'");
            }
            var plan = ChainPlanner.Plan(state, ChainState.Nothing(name), types);
            var (next, _, _, commit) = RunPlan(state, plan, journal);
            return (next with { Chains = next.Chains.Remove(name) }, true, commit);
        });

    private sealed record ChainOutcome(GraphState Next, ChainState Chain, IReadOnlyList<ChainChange> Changes, Action Commit);

    /// <summary>Runs the plan's steps in order under one journal; modules it loads or unloads become
    /// current only when the change commits.</summary>
    private ChainOutcome RunPlan(GraphState state, ChainPlan plan, UndoJournal journal)
    {
        var loaded = _loaded;
        Dictionary<string, ModuleObjectLoad>? objects = null;
        var next = plan.Next;
        var entries = plan.Chain.Entries.ToBuilder();
        var frees = new List<Action>();
        var changes = new List<ChainChange>();
        _uncommitted = plan.Next;
        try
        {
            for (var i = 0; i < plan.Steps.Count; i++)
            {
                var step = plan.Steps[i];
                var change = step.Change;
                if (step is PutEntryStep put && EntryBatch(plan.Steps, i, loaded[put.Entry.Module]) is { Count: > 1 } batch)
                {
                    (next, var keys) = WriteChainEntries(batch, loaded[put.Entry.Module], next, journal);
                    for (var j = 0; j < batch.Count; j++)
                    {
                        entries[batch[j].Index] = batch[j].Entry with { AppliedKey = keys[j] };
                        changes.Add(batch[j].Change with { Id = $"{put.Entry.Module}/{put.Entry.Table}/{keys[j]}" });
                    }
                    i += batch.Count - 1;
                    continue;
                }
                switch (step)
                {
                    case RemoveLinkStep s:
                        RemoveLink(state, loaded, s.Link, journal);
                        break;
                    case DeleteEntryStep s:
                        EraseEntry(loaded[s.Module].Datapath.Table(s.Table), s.Key, journal);
                        break;
                    case RemovePortStep s:
                        next = next.WithModule(RemovePort(loaded[s.Module], next.Modules[s.Module], s.Port, journal));
                        break;
                    case DeleteModuleStep s:
                        frees.Add(UnloadModule(s.Module, loaded[s.Module.Name], journal));
                        loaded = loaded.Remove(s.Module.Name);
                        break;
                    case ConfigureModuleStep s:
                        var (reconfigured, free) = Reconfigure(s.Module with { Config = s.Config }, s.Module.Config, loaded[s.Module.Name], journal);
                        loaded = loaded.SetItem(s.Module.Name, reconfigured);
                        if (free is not null)
                        {
                            frees.Add(free);
                        }
                        break;
                    case CreateModuleStep s:
                        // The first creation loads the objects of every module the plan creates, at once:
                        // the steps before it have set aside the pins of modules these replace.
                        objects ??= LoadObjects([.. plan.Steps.OfType<CreateModuleStep>().Select(c => c.Module)], journal);
                        loaded = loaded.SetItem(s.Module.Name, EnterModule(s.Module, objects[s.Module.Name], journal));
                        break;
                    case ConfigurePortStep s:
                        ApplyPort(loaded[s.Module], s.Port with { Config = s.Config }, s.Port.Config, journal);
                        break;
                    case AddPortStep s:
                        ApplyPort(loaded[s.Module], s.Port, previous: null, journal);
                        break;
                    case PutEntryStep s:
                        (next, var key) = WriteChainEntry(s, loaded[s.Entry.Module], next, journal);
                        entries[s.Index] = s.Entry with { AppliedKey = key };
                        change = change with { Id = $"{s.Entry.Module}/{s.Entry.Table}/{key}" };
                        break;
                    case CreateLinkStep s:
                        ApplyLink(plan.Next, loaded, s.Link, journal);
                        break;
                }
                changes.Add(change);
            }
        }
        finally
        {
            _uncommitted = null;
        }
        CheckEntries(entries, next, loaded);
        var chain = plan.Chain with { Entries = entries.ToImmutable() };
        return new ChainOutcome(next, chain, MergeRewrites(changes), () =>
        {
            _loaded = loaded;
            foreach (var free in frees)
            {
                free();
            }
        });
    }

    /// <summary>Writes entry <see cref="PutEntryStep.Index"/> of the spec and keeps it in the state when its
    /// table is persistent; returns the state and the key the table gave the entry. The table checks the
    /// entry: its errors are named under the entry's path in the spec.</summary>
    private static (GraphState Next, string Key) WriteChainEntry(PutEntryStep step, LoadedModule module, GraphState next, UndoJournal journal)
    {
        var e = step.Entry;
        JsonObject written;
        try
        {
            written = WriteEntry(module.Datapath.Table(e.Table), e.Key, e.Entry, journal);
        }
        catch (ConfigException x)
        {
            throw new ConfigException(x.Errors.Select(error => error with
            {
                Field = error.Field == "key" ? $"entries[{step.Index}].key" : $"entries[{step.Index}].entry.{error.Field}",
            }).ToList());
        }
        var key = written["key"]!.GetValue<string>();
        if (!module.Type.Tables.First(t => t.Name == e.Table).Persistent)
        {
            return (next, key);
        }
        var state = next.Modules[e.Module];
        return (next.WithModule(state with { Entries = state.Entries.SetItem(e.Table, state.EntriesOf(e.Table).SetItem(key, Stored(written))) }), key);
    }

    /// <summary>The writes from <paramref name="at"/> on into the same table, when that table writes a
    /// batch at once: a port firewall's rules are one rule set change, not one per rule.</summary>
    private static List<PutEntryStep> EntryBatch(IReadOnlyList<ChainStep> steps, int at, LoadedModule module)
    {
        var first = (PutEntryStep)steps[at];
        var batch = new List<PutEntryStep>();
        if (!module.Datapath.Table(first.Entry.Table).HasPutAll)
        {
            return batch;
        }
        for (var i = at; i < steps.Count && steps[i] is PutEntryStep s && s.Entry.Module == first.Entry.Module && s.Entry.Table == first.Entry.Table; i++)
        {
            batch.Add(s);
        }
        return batch;
    }

    /// <summary><see cref="WriteChainEntry"/> for a batch, written at once. Undo restores what each key
    /// held before, or deletes it.</summary>
    private static (GraphState Next, string[] Keys) WriteChainEntries(List<PutEntryStep> batch, LoadedModule module, GraphState next, UndoJournal journal)
    {
        var table = module.Datapath.Table(batch[0].Entry.Table);
        var previous = batch.Select(s => s.Entry.Key is { } key ? table.Get(key) : null).ToList();
        IReadOnlyList<JsonObject> written = [];
        try
        {
            journal.Do("write entries", () => written = table.PutAll([.. batch.Select(s => (s.Entry.Key, s.Entry.Entry))]), () =>
            {
                for (var j = written.Count - 1; j >= 0; j--)
                {
                    if (previous[j] is { } was)
                    {
                        table.Put(batch[j].Entry.Key, was);
                    }
                    else
                    {
                        table.Delete(written[j]["key"]!.GetValue<string>());
                    }
                }
            });
        }
        catch (ConfigException x)
        {
            throw new ConfigException(x.Errors.Select(error => error with { Field = SpecField(error.Field, batch) }).ToList());
        }
        var keys = written.Select(w => w["key"]!.GetValue<string>()).ToArray();
        if (!module.Type.Tables.First(t => t.Name == batch[0].Entry.Table).Persistent)
        {
            return (next, keys);
        }
        var state = next.Modules[batch[0].Entry.Module];
        var stored = state.EntriesOf(batch[0].Entry.Table).SetItems(written.Select((w, j) => KeyValuePair.Create(keys[j], Stored(w))));
        return (next.WithModule(state with { Entries = state.Entries.SetItem(batch[0].Entry.Table, stored) }), keys);
    }

    /// <summary>A batch error's field (entries[j].dport, entries[j].key, entries) as the path in the spec.</summary>
    private static string SpecField(string field, List<PutEntryStep> batch)
    {
        var match = BatchField().Match(field);
        if (!match.Success)
        {
            return $"entries[{batch[0].Index}]";
        }
        var index = batch[int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)].Index;
        return match.Groups[2].Value == "key" ? $"entries[{index}].key" : $"entries[{index}].entry.{match.Groups[2].Value}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^entries\[(\d+)\]\.(.+)$")]
    private static partial System.Text.RegularExpressions.Regex BatchField();

    /// <summary>Refuses entries of the spec that the graph would not hold as written: two the table
    /// stores as one (deleting either would delete both), and one its table dropped with a port the
    /// spec removes.</summary>
    private static void CheckEntries(ImmutableArray<ChainEntry>.Builder entries, GraphState next, IReadOnlyDictionary<string, LoadedModule> loaded)
    {
        var seen = new Dictionary<(string, string, string), int>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (!seen.TryAdd((e.Module, e.Table, e.AppliedKey!), i))
            {
                throw new ConfigException($"entries[{i}]", $"the same entry ({e.AppliedKey}) as entries[{seen[(e.Module, e.Table, e.AppliedKey!)]}]");
            }
            var persistent = loaded[e.Module].Type.Tables.First(t => t.Name == e.Table).Persistent;
            if (persistent && !next.Modules[e.Module].EntriesOf(e.Table).ContainsKey(e.AppliedKey!))
            {
                throw new ConfigException($"entries[{i}].entry", "its table dropped it with a port this spec removes");
            }
        }
    }

    /// <summary>An entry deleted and written again under the same key (its spec changed but not its key)
    /// is reported as one update.</summary>
    private static List<ChainChange> MergeRewrites(List<ChainChange> changes)
    {
        var deleted = changes.Where(c => c is { Kind: "entry", Action: "delete" }).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var rewritten = changes.Where(c => c is { Kind: "entry", Action: "create" } && deleted.Contains(c.Id)).Select(c => c.Id)
            .ToHashSet(StringComparer.Ordinal);
        return changes
            .Where(c => !(c is { Kind: "entry", Action: "delete" } && rewritten.Contains(c.Id)))
            .Select(c => c is { Kind: "entry", Action: "create" } && rewritten.Contains(c.Id) ? c with { Action = "update" } : c)
            .ToList();
    }
}
