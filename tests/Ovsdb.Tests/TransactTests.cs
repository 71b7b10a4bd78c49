using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Tests.Harness;
using IoVisor.Ovsdb.Transactions;

namespace IoVisor.Ovsdb.Tests;

/// <summary>transact against a real ovsdb-server with the OVN northbound schema.</summary>
public sealed class TransactTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Nb = "OVN_Northbound";
    private OvsdbServer server = null!;
    private OvsdbConnection connection = null!;

    public async Task InitializeAsync()
    {
        server = await OvsdbServer.StartAsync(OvsTools.NbSchema);
        connection = await Clients.ConnectAsync(output, server.Remote);
    }

    public async Task DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task List_dbs_and_get_schema_describe_the_server()
    {
        Assert.Equal(["OVN_Northbound", "_Server"], (await connection.ListDatabasesAsync(default)).Order());
        var schema = await connection.GetSchemaAsync(Nb, default);
        Assert.Contains("Logical_Switch_Port", schema.Tables.Keys);
    }

    [Fact]
    public async Task An_insert_can_refer_to_a_row_inserted_earlier_by_its_uuid_name()
    {
        var port = new InsertOperation("Logical_Switch_Port", Row(("name", "p1"), ("addresses", OvsdbSet.Of("00:00:00:00:00:01 10.0.0.1"))), UuidName: "p1");
        var results = await connection.TransactAsync(Nb, [
            port,
            new InsertOperation("Logical_Switch", Row(("name", "sw0"), ("ports", OvsdbSet.Of(port.NamedUuid)), ("external_ids", Map(("owner", "test"))))),
            new SelectOperation("Logical_Switch", [OvsdbCondition.Equal("name", "sw0")], ["name", "ports", "external_ids"]),
        ], default);

        var portUuid = results[0].Uuid!.Value;
        var row = Assert.Single(results[2].Rows!);
        Assert.Equal(OvsdbAtom.String("sw0"), row["name"]);
        Assert.Equal(OvsdbSet.Of(portUuid), row["ports"]);
        Assert.Equal(Map(("owner", "test")), row["external_ids"]);
        Assert.Equal("p1", (await server.NbctlAsync("lsp-list", "sw0")).Split(' ', '(', ')')[2]);
    }

    [Fact]
    public async Task A_chosen_uuid_is_used_for_the_new_row()
    {
        var uuid = Guid.NewGuid();
        var results = await connection.TransactAsync(Nb, [new InsertOperation("Logical_Switch", Row(("name", "chosen")), Uuid: uuid)], default);
        Assert.Equal(uuid, results[0].Uuid);
    }

    [Fact]
    public async Task Update_mutate_and_delete_report_how_many_rows_they_touched()
    {
        // ovn-nbctl also creates the single NB_Global row on first use.
        await server.NbctlAsync("ls-add", "a");
        await server.NbctlAsync("ls-add", "b");

        var results = await connection.TransactAsync(Nb, [
            new UpdateOperation("Logical_Switch", [], Row(("external_ids", Map(("k", "v"))))),
            new MutateOperation("Logical_Switch", [OvsdbCondition.Equal("name", "a")], [OvsdbMutation.Insert("external_ids", Map(("k2", "v2")))]),
            new MutateOperation("NB_Global", [], [new OvsdbMutation("nb_cfg", Mutator.Add, 41L)]),
            new DeleteOperation("Logical_Switch", [OvsdbCondition.Equal("name", "b")]),
            new SelectOperation("Logical_Switch", [], ["name", "external_ids"]),
            new SelectOperation("NB_Global", [], ["nb_cfg"]),
        ], default);

        Assert.Equal([2, 1, 1, 1], results.Take(4).Select(r => r.Count!.Value));
        var a = Assert.Single(results[4].Rows!);
        Assert.Equal(Map(("k", "v"), ("k2", "v2")), a["external_ids"]);
        Assert.Equal(OvsdbAtom.Integer(41), Assert.Single(results[5].Rows!)["nb_cfg"]);
    }

    [Fact]
    public async Task Wait_comment_commit_succeed_and_a_failed_wait_names_its_operation()
    {
        await server.NbctlAsync("ls-add", "sw0");
        var results = await connection.TransactAsync(Nb, [
            new WaitOperation("Logical_Switch", [], ["name"], WaitUntil.Equal, [Row(("name", "sw0"))], TimeSpan.Zero),
            new CommentOperation("from the tests"),
            new InsertOperation("Logical_Switch", Row(("name", "sw1"))),
            new CommitOperation(Durable: true),
        ], default);
        Assert.Equal(4, results.Count);

        var e = await Assert.ThrowsAsync<OvsdbTransactionException>(() => connection.TransactAsync(Nb, [
            new CommentOperation("first"),
            new WaitOperation("Logical_Switch", [OvsdbCondition.Equal("name", "sw0")], ["name"], WaitUntil.Equal, [Row(("name", "other"))], TimeSpan.Zero),
        ], default));
        Assert.Equal((1, "wait on Logical_Switch", "timed out", false), (e.OperationIndex, e.Operation, e.Error, e.IsCommitError));
        Assert.Contains("operation 1 (wait on Logical_Switch)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_undoes_the_transaction_and_is_reported_at_its_index()
    {
        var e = await Assert.ThrowsAsync<OvsdbTransactionException>(() => connection.TransactAsync(Nb, [
            new InsertOperation("Logical_Switch", Row(("name", "never"))),
            new AbortOperation(),
        ], default));
        Assert.Equal((1, "abort", "aborted"), (e.OperationIndex, e.Operation, e.Error));
        Assert.Equal("", (await server.NbctlAsync("ls-list")).Trim());
    }

    [Fact]
    public async Task Assert_without_the_lock_fails_with_not_owner()
    {
        var e = await Assert.ThrowsAsync<OvsdbTransactionException>(() => connection.TransactAsync(Nb, [new AssertOperation("nobody_holds_this")], default));
        Assert.Equal((0, "not owner"), (e.OperationIndex, e.Error));
    }

    [Fact]
    public async Task A_value_out_of_its_range_is_a_constraint_violation_of_that_operation()
    {
        var e = await Assert.ThrowsAsync<OvsdbTransactionException>(() => connection.TransactAsync(Nb, [
            new InsertOperation("Logical_Switch", Row(("name", "sw0"))),
            new InsertOperation("Logical_Switch_Port", Row(("name", "p"), ("tag", OvsdbSet.Of(5000L)))),
        ], default));
        Assert.Equal((1, "insert on Logical_Switch_Port", "constraint violation"), (e.OperationIndex, e.Operation, e.Error));
        Assert.NotNull(e.Details);
    }

    [Fact]
    public async Task A_duplicate_in_a_unique_index_fails_the_commit_after_all_operations()
    {
        var e = await Assert.ThrowsAsync<OvsdbTransactionException>(() => connection.TransactAsync(Nb, [
            new InsertOperation("Address_Set", Row(("name", "dup"))),
            new InsertOperation("Address_Set", Row(("name", "dup"))),
        ], default));
        Assert.Equal((2, true, "constraint violation"), (e.OperationIndex, e.IsCommitError, e.Error));
        Assert.Contains("commit after all 2 operations", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dangling_strong_reference_is_a_referential_integrity_violation()
    {
        var e = await Assert.ThrowsAsync<OvsdbTransactionException>(() => connection.TransactAsync(Nb, [
            new InsertOperation("Logical_Switch", Row(("name", "sw0"), ("ports", OvsdbSet.Of(Guid.NewGuid())))),
        ], default));
        Assert.Equal((1, true, "referential integrity violation"), (e.OperationIndex, e.IsCommitError, e.Error));
    }

    [Fact]
    public async Task An_unknown_column_fails_the_operation_that_names_it()
    {
        var e = await Assert.ThrowsAsync<OvsdbTransactionException>(() => connection.TransactAsync(Nb, [
            new InsertOperation("Logical_Switch", Row(("name", "ok"))),
            new UpdateOperation("Logical_Switch", [], Row(("no_such_column", "x"))),
        ], default));
        Assert.Equal((1, "update on Logical_Switch"), (e.OperationIndex, e.Operation));
        Assert.Contains("no_such_column", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_method_the_server_lacks_is_reported_as_unknown()
    {
        var e = await Assert.ThrowsAsync<OvsdbRpcException>(() => connection.InvokeAsync("monitor_cond_someday", w => { w.WriteStartArray(); w.WriteEndArray(); }, default));
        Assert.True(e.IsUnknownMethod);
        Assert.Equal("monitor_cond_someday", e.Method);
    }

    private static Dictionary<string, OvsdbValue> Row(params (string Column, OvsdbValue Value)[] columns) =>
        columns.ToDictionary(c => c.Column, c => c.Value);

    private static OvsdbMap Map(params (string Key, string Value)[] pairs) =>
        OvsdbMap.Of(pairs.ToDictionary(p => p.Key, p => p.Value));
}
