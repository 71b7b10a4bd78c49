using System.Collections.Immutable;
using IoVisor.OvnBridge.Rows;

namespace IoVisor.OvnBridge.Matching;

/// <summary>
/// Compiles ACLs into firewall rules (<see cref="CompiledAcl"/>), with two caches that make a
/// recompute after a small change cheap: parsed matches by their text, and compiled ACLs by row,
/// kept while the row and the address sets it used are the same instances.
/// Not thread-safe: one translation at a time.
/// </summary>
public sealed class AclCompiler
{
    private Dictionary<string, object> parsed = new(StringComparer.Ordinal);
    private Dictionary<string, object> parsedThisPass = new(StringComparer.Ordinal);
    private Dictionary<Guid, Compiled> compiled = [];
    private Dictionary<Guid, Compiled> compiledThisPass = [];

    private sealed record Compiled(Acl Row, IReadOnlyList<(string Name, PrefixSet? Set)> Used, CompiledAcl Result);

    /// <summary>Compiles <paramref name="acl"/>; errors are in <see cref="CompiledAcl.Error"/>.</summary>
    public CompiledAcl Compile(Acl acl, IAddressSets sets)
    {
        if (compiled.TryGetValue(acl.Uuid, out var cached) && ReferenceEquals(cached.Row, acl) && ResolvedSets.Unchanged(cached.Used, sets))
        {
            compiledThisPass[acl.Uuid] = cached;
            return cached.Result;
        }
        var recording = new ResolvedSets(sets);
        var result = CompileAfresh(acl, recording);
        compiledThisPass[acl.Uuid] = new Compiled(acl, recording.Used, result);
        return result;
    }

    /// <summary>Ends a translation: forgets what it did not compile (rows gone, matches changed).</summary>
    public void EndPass()
    {
        (compiled, compiledThisPass) = (compiledThisPass, []);
        (parsed, parsedThisPass) = (parsedThisPass, new Dictionary<string, object>(StringComparer.Ordinal));
    }

    private CompiledAcl CompileAfresh(Acl acl, IAddressSets sets)
    {
        if (!AclActions.TryMap(acl.Action, out var action))
        {
            return CompiledAcl.Failed($"the action {acl.Action} is not supported (allow, allow-related, allow-stateless, drop, reject are)");
        }
        RuleDirection direction;
        switch (acl.Direction)
        {
            case "from-lport":
                direction = RuleDirection.Egress;
                break;
            case "to-lport":
                direction = RuleDirection.Ingress;
                break;
            default:
                return CompiledAcl.Failed($"the direction {acl.Direction} is neither from-lport nor to-lport");
        }
        if (Parse(acl.Match) is not NormalForm form)
        {
            return CompiledAcl.Failed($"the match cannot be translated: {((MatchSyntaxException)Parse(acl.Match)).Message}");
        }
        var notes = new List<string>();
        var conjunctions = ImmutableArray.CreateBuilder<CompiledConjunction>();
        try
        {
            foreach (var literals in form.Conjunctions)
            {
                if (new ConjunctionCompiler(direction, sets, notes).Compile(literals, (int)acl.Priority, direction, action) is { } conjunction)
                {
                    conjunctions.Add(conjunction);
                }
            }
        }
        catch (MatchSyntaxException e)
        {
            return CompiledAcl.Failed($"the match cannot be translated: {e.Message}");
        }
        if (conjunctions.Sum(c => c.Rules.Length) > ConjunctionCompiler.MaxRules)
        {
            return CompiledAcl.Failed($"the match expands to more than {ConjunctionCompiler.MaxRules} firewall rules");
        }
        return new CompiledAcl(conjunctions.ToImmutable(), [.. notes], null);
    }

    // A parse error is cached too: the same bad match is not parsed again on every change.
    private object Parse(string match)
    {
        if (!parsed.TryGetValue(match, out var result) && !parsedThisPass.TryGetValue(match, out result))
        {
            try
            {
                result = NormalForm.Of(MatchParser.Parse(match));
            }
            catch (MatchSyntaxException e)
            {
                result = e;
            }
        }
        parsedThisPass[match] = result;
        return result;
    }
}
