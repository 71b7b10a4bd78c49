using System.Collections.Immutable;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Monitoring;
using IoVisor.Ovsdb.Transactions;

namespace IoVisor.Ovsdb;

/// <summary>Watches the server's own view of our database in the _Server database (ovsdb-server(5)):
/// a clustered database is only trustworthy on the member that is connected to the cluster and
/// is its leader. Standalone and relay databases always pass.</summary>
internal sealed class LeaderWatch
{
    public const string MonitorId = "_Server";

    private readonly string database;
    private ImmutableDictionary<string, OvsdbValue>? row;

    private LeaderWatch(string database) => this.database = database;

    /// <summary>Starts watching; null when the server is too old to have _Server (and so to be
    /// clustered).</summary>
    public static async Task<LeaderWatch?> StartAsync(OvsdbConnection connection, string database, CancellationToken ct)
    {
        if (!(await connection.ListDatabasesAsync(ct)).Contains("_Server"))
        {
            return null;
        }
        var watch = new LeaderWatch(database);
        var result = await connection.MonitorAsync(
            "_Server",
            MonitorId,
            [new MonitorRequest("Database", ["name", "model", "connected", "leader"], [OvsdbCondition.Equal("name", database)])],
            MonitorMethod.MonitorCond,
            null,
            ct);
        watch.Apply(result.Updates);
        return watch;
    }

    /// <summary>Why this server must not be used for the database, or null when it may.</summary>
    public string? Problem =>
        row is null ? $"the server does not serve {database}"
        : row["model"] is not OvsdbAtom { AsString: "clustered" } ? null
        : row["connected"] is not OvsdbAtom { AsBoolean: true } ? $"the server is not connected to the {database} cluster"
        : row["leader"] is not OvsdbAtom { AsBoolean: true } ? $"the server is a follower in the {database} cluster, not its leader"
        : null;

    // The watched columns all hold one atom, so an update2 "modify" carries their new values.
    public void Apply(IReadOnlyList<RowUpdate> updates)
    {
        foreach (var update in updates)
        {
            row = update.Kind switch
            {
                RowUpdateKind.Delete => null,
                RowUpdateKind.Modify => row?.SetItems(update.Columns),
                _ => update.Columns,
            };
        }
    }
}
