using IoVisor.OvnBridge.Matching;
using IoVisor.OvnBridge.Model;

namespace IoVisor.OvnBridge.Translation;

/// <summary>
/// Translates a northbound snapshot and the local Open_vSwitch interfaces into the module graph
/// this host should run (README, "OVN"). The result depends only on its inputs; the translator
/// keeps caches (the indexes of tables that did not change, the local datapaths, compiled ACLs,
/// resolved address sets) so that translating again after a small change is cheap. One
/// translation at a time.
/// </summary>
public sealed class OvnTranslator(string hook = "tc")
{
    private readonly AclCompiler acls = new();
    private readonly AclPass aclPass = new();
    private readonly AddressSetResolver addressSets = new();
    private readonly FirewallEntryCache firewallEntries = new();
    private NbIndex? index;
    private (NbIndex Index, Dictionary<string, string> Bindings, (HashSet<Guid>, HashSet<Guid>) Local)? local;

    /// <summary>The graph for these databases, and the rows left out.</summary>
    /// <param name="nb">The northbound database.</param>
    /// <param name="ovs">The local interfaces, which bind logical ports.</param>
    /// <param name="moduleCapacity">How many modules Hover can hold for this graph; modules past
    /// it are left out and reported.</param>
    public OvnTranslation Translate(NbSnapshot nb, OvsSnapshot ovs, int moduleCapacity = int.MaxValue)
    {
        var untranslated = new Untranslated();
        if (index is null || !index.Serves(nb))
        {
            index = new NbIndex(nb);
        }
        foreach (var problem in index.Problems.Rows)
        {
            untranslated.Add(problem);
        }
        var bindings = Bindings.Of(ovs, untranslated);
        if (local is not { } cached || cached.Index != index || !SameBindings(cached.Bindings, bindings))
        {
            local = cached = (index, bindings, LocalDatapaths.Of(index, bindings));
        }
        addressSets.Begin(index);
        var run = new TranslationRun(nb, index, bindings, untranslated, new GraphBuilder(hook), acls, aclPass, addressSets, firewallEntries);
        try
        {
            return run.Run(cached.Local, moduleCapacity);
        }
        finally
        {
            if (run.AclsCompiled)
            {
                acls.EndPass();
            }
            firewallEntries.EndPass();
        }
    }

    private static bool SameBindings(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var netdev) && netdev == p.Value);
}
