using System.Collections.Immutable;
using IoVisor.Ovsdb.Data;

namespace IoVisor.Ovsdb.Monitoring;

/// <summary>One row's change as a monitor reported it, before it is applied to a cache.
/// For <see cref="RowUpdateKind.Initial"/> and <see cref="RowUpdateKind.Insert"/>,
/// <see cref="Columns"/> is the whole row (columns the server omitted as default are filled in).
/// For <see cref="RowUpdateKind.Modify"/> it holds only the changed columns: their new values
/// ("update"), or when <see cref="IsDiff"/> their update2 differences from the old values.
/// Empty for <see cref="RowUpdateKind.Delete"/>.</summary>
public sealed record RowUpdate(
    string Table,
    Guid Uuid,
    RowUpdateKind Kind,
    ImmutableDictionary<string, OvsdbValue> Columns,
    bool IsDiff = false);
