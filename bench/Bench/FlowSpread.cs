namespace IoVisor.Bench;

/// <summary>What varies besides the source port when every frame is a new flow; values as gen.c's enum spread.</summary>
internal enum FlowSpread : uint
{
    None = 0,

    /// <summary>For balancers, which keep the source.</summary>
    SourceHost = 1,

    /// <summary>For source NAT: behind one external address, the source ports towards one
    /// destination run out after 64,512 flows.</summary>
    DestinationPort = 2,
}
