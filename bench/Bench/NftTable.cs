namespace IoVisor.Bench;

/// <summary>
/// An nftables table of the bench's own, <c>table ip iovb_&lt;rnd&gt;</c>, loaded in one
/// transaction from its body (chains, rules, maps); disposing deletes it, and the cleanup does if
/// the bench stops half-way. The host's own ruleset is never touched.
/// </summary>
internal sealed class NftTable : IDisposable
{
    private readonly IDisposable _delete;

    private NftTable(IDisposable delete) => _delete = delete;

    public static NftTable Create(Cleanup cleanup, string rnd, string body)
    {
        string name = $"iovb_{rnd}";
        var delete = cleanup.Scoped($"nftables table ip {name}", () => Shell.TryRun("nft", $"delete table ip {name}"));
        // A file rather than arguments: 10,000 rules do not fit a command line.
        string script = Path.Combine(Path.GetTempPath(), $"iovb-{rnd}.nft");
        try
        {
            File.WriteAllText(script, $"table ip {name} {{\n{body}}}\n");
            Shell.Run("nft", $"-f {script}");
        }
        catch
        {
            delete.Dispose();
            throw;
        }
        finally
        {
            File.Delete(script);
        }
        return new NftTable(delete);
    }

    public void Dispose() => _delete.Dispose();
}
