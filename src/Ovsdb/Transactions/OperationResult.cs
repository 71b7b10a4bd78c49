using System.Collections.Immutable;
using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Transactions;

/// <summary>What one successful operation returned: the new row's UUID for insert, the number
/// of rows touched for update/mutate/delete, the rows for select; nothing for the others.</summary>
public sealed record OperationResult(Guid? Uuid, int? Count, IReadOnlyList<ImmutableDictionary<string, OvsdbValue>>? Rows)
{
    public static readonly OperationResult Empty = new(null, null, null);
}
