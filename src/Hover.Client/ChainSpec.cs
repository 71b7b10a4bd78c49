using System.Text.Json.Nodes;

namespace IoVisor.Hover.Client;

/// <summary>
/// A whole graph of modules, ports, links and table entries, applied declaratively with
/// <see cref="IHoverApi.ApplyChainAsync"/>: the daemon creates, updates and deletes only what differs from
/// the chain of the same name it already has, all or nothing. This is also the format of <c>hoverctl apply -f</c>
/// files (YAML or JSON, camelCase keys); omitted lists are empty.
/// </summary>
public sealed record ChainSpec
{
    public required string Name { get; init; }

    public IReadOnlyList<ChainModuleSpec> Modules { get; init; } = [];

    public IReadOnlyList<ChainLinkSpec> Links { get; init; } = [];

    public IReadOnlyList<ChainEntrySpec> Entries { get; init; } = [];
}

/// <summary>A module of a chain and its ports.</summary>
public sealed record ChainModuleSpec
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    /// <summary>tc or xdp; the daemon's default when null.</summary>
    public string? Hook { get; init; }

    public JsonObject? Config { get; init; }

    public IReadOnlyList<ChainPortSpec> Ports { get; init; } = [];
}

/// <summary>A port of a chain's module.</summary>
public sealed record ChainPortSpec
{
    public required string Name { get; init; }

    public JsonObject? Config { get; init; }
}

/// <summary>A link of a chain: "br1:p1" to "netdev:veth0" or to another module port.</summary>
public sealed record ChainLinkSpec
{
    public required string From { get; init; }

    public required string To { get; init; }
}

/// <summary>A table entry of a chain; without <see cref="Key"/> the module derives the key from the entry.</summary>
public sealed record ChainEntrySpec
{
    public required string Module { get; init; }

    public required string Table { get; init; }

    public string? Key { get; init; }

    public required JsonObject Entry { get; init; }
}
