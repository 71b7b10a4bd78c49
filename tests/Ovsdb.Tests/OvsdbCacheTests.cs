using System.Collections.Immutable;
using IoVisor.Ovsdb.Caching;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Monitoring;
using IoVisor.Ovsdb.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoVisor.Ovsdb.Tests;

public sealed class OvsdbCacheTests
{
    private static readonly DatabaseSchema Schema = DatabaseSchema.Parse("""
        {"name": "Test", "version": "1.0.0", "tables": {
          "T": {"columns": {
            "name": {"type": "string"},
            "tags": {"type": {"key": "string", "min": 0, "max": "unlimited"}},
            "ids": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}}}}}}
        """);

    private static readonly Guid A = Guid.NewGuid();
    private static readonly Guid B = Guid.NewGuid();

    [Fact]
    public void Updates_become_insert_update_and_delete_events_with_old_and_new_rows()
    {
        var cache = new OvsdbCache(NullLogger.Instance);
        var events = new List<RowChange>();
        cache.Changed += (_, e) => events.AddRange(e.Changes);

        cache.Apply([Insert(A, "a", ["x"], new() { ["k"] = "1" })], Schema, null);
        cache.Apply([Modify(A, ("tags", OvsdbSet.Of("x", "y")), ("ids", OvsdbMap.Of(new Dictionary<string, string> { ["k"] = "1", ["j"] = "2" })))], Schema, null);
        cache.Apply([new RowUpdate("T", A, RowUpdateKind.Delete, ImmutableDictionary<string, OvsdbValue>.Empty)], Schema, null);

        Assert.Equal([RowChangeKind.Inserted, RowChangeKind.Updated, RowChangeKind.Deleted], events.Select(e => e.Kind));
        var updated = events[1];
        Assert.Equal(OvsdbSet.Of("x"), updated.Old!["tags"]);
        Assert.Equal(OvsdbSet.Of("y"), updated.New!["tags"]);
        Assert.Equal(OvsdbMap.Of(new Dictionary<string, string> { ["j"] = "2" }), updated.New["ids"]);
        Assert.Equal(updated.New, events[2].Old);
        Assert.Empty(cache.Snapshot.Table("T"));
    }

    [Fact]
    public void A_snapshot_does_not_change_under_its_reader()
    {
        var cache = new OvsdbCache(NullLogger.Instance);
        cache.Apply([Insert(A, "a", [], [])], Schema, null);
        var before = cache.Snapshot;
        cache.Apply([Insert(B, "b", [], []), Modify(A, ("name", OvsdbAtom.String("a2")))], Schema, null);

        Assert.Equal("a", ((OvsdbAtom)before.Table("T")[A]["name"]).AsString);
        Assert.False(before.TryGetRow("T", B, out _));
        Assert.Equal(2, cache.Snapshot.Table("T").Count);
    }

    [Fact]
    public void A_snapshot_tells_which_rows_changed_since_one_of_the_last_it_follows()
    {
        var cache = new OvsdbCache(NullLogger.Instance);
        cache.Apply([Insert(A, "a", [], [])], Schema, null);
        var first = cache.Snapshot;
        cache.Apply([Insert(B, "b", [], [])], Schema, null);
        cache.Apply([Modify(A, ("name", OvsdbAtom.String("a2")))], Schema, null);
        var third = cache.Snapshot;
        cache.Apply([new RowUpdate("T", B, RowUpdateKind.Delete, ImmutableDictionary<string, OvsdbValue>.Empty)], Schema, null);

        Assert.True(cache.Snapshot.TryGetChangedRows(first, "T", out var sinceFirst));
        Assert.Equal(new[] { A, B }.Order(), sinceFirst.Order());
        Assert.True(cache.Snapshot.TryGetChangedRows(third, "T", out var sinceThird));
        Assert.Equal([B], sinceThird);
        Assert.True(third.TryGetChangedRows(third, "T", out var none));
        Assert.Empty(none);
        Assert.True(cache.Snapshot.TryGetChangedRows(first, "Other", out var otherTable));
        Assert.Empty(otherTable);

        for (var i = 0; i < CacheSnapshot.ChangeHistory + 1; i++)
        {
            cache.Apply([Modify(A, ("name", OvsdbAtom.String($"a{i}")))], Schema, null);
        }
        Assert.False(cache.Snapshot.TryGetChangedRows(third, "T", out _));
    }

    [Fact]
    public void A_resync_reports_only_what_differs_from_the_cache()
    {
        var cache = new OvsdbCache(NullLogger.Instance);
        var c = Guid.NewGuid();
        cache.Apply([Insert(A, "same", ["t"], []), Insert(B, "changes", [], []), Insert(c, "goes", [], [])], Schema, null);
        CacheChangedEventArgs? resync = null;
        cache.Changed += (_, e) => resync = e;

        var d = Guid.NewGuid();
        var changes = cache.Resync(
            [Initial(A, "same", ["t"]), Initial(B, "changed", []), Initial(d, "new", [])],
            ["T"],
            null);

        Assert.True(resync!.IsResync);
        Assert.Equal(
            ["Deleted goes", "Inserted new", "Updated changed"],
            changes.Select(x => $"{x.Kind} {((OvsdbAtom)(x.New ?? x.Old)!["name"]).AsString}").Order());
        Assert.Equal(3, cache.Snapshot.Table("T").Count);
    }

    [Fact]
    public void A_resync_with_no_difference_raises_no_event()
    {
        var cache = new OvsdbCache(NullLogger.Instance);
        cache.Apply([Insert(A, "a", ["t"], new() { ["k"] = "v" })], Schema, null);
        var raised = false;
        cache.Changed += (_, _) => raised = true;

        Assert.Empty(cache.Resync([Initial(A, "a", ["t"], new() { ["k"] = "v" })], ["T"], Guid.NewGuid()));
        Assert.False(raised);
    }

    [Fact]
    public void A_throwing_handler_does_not_stop_the_others()
    {
        var cache = new OvsdbCache(NullLogger.Instance);
        var seen = 0;
        cache.Changed += (_, _) => throw new InvalidOperationException("subscriber bug");
        cache.Changed += (_, _) => seen++;
        cache.Apply([Insert(A, "a", [], [])], Schema, null);
        Assert.Equal(1, seen);
    }

    [Fact]
    public void Modifying_a_row_the_cache_does_not_have_is_a_protocol_error()
    {
        var cache = new OvsdbCache(NullLogger.Instance);
        Assert.Throws<OvsdbProtocolException>(() => cache.Apply([Modify(A, ("name", OvsdbAtom.String("x")))], Schema, null));
    }

    private static RowUpdate Insert(Guid uuid, string name, string[] tags, Dictionary<string, string> ids) =>
        new("T", uuid, RowUpdateKind.Insert, Row(name, tags, ids));

    private static RowUpdate Initial(Guid uuid, string name, string[] tags, Dictionary<string, string>? ids = null) =>
        new("T", uuid, RowUpdateKind.Initial, Row(name, tags, ids ?? []));

    private static RowUpdate Modify(Guid uuid, params (string Column, OvsdbValue Diff)[] diffs) =>
        new("T", uuid, RowUpdateKind.Modify, diffs.ToImmutableDictionary(d => d.Column, d => d.Diff), IsDiff: true);

    private static ImmutableDictionary<string, OvsdbValue> Row(string name, string[] tags, Dictionary<string, string> ids) =>
        ImmutableDictionary<string, OvsdbValue>.Empty
            .Add("name", OvsdbAtom.String(name))
            .Add("tags", OvsdbSet.Of(tags.Select(t => (OvsdbAtom)t)))
            .Add("ids", OvsdbMap.Of(ids));
}
