namespace IoVisor.Hover.Client;

/// <summary>One hop of a traced packet through the module graph (an <c>event: hop</c> of <c>GET /trace</c>).</summary>
/// <param name="PacketId">Same for every hop of one packet.</param>
/// <param name="Hop">0 at the first module, then counting up.</param>
/// <param name="TimestampNs">Kernel monotonic clock.</param>
/// <param name="DeltaNs">Time since the packet's previous hop.</param>
/// <param name="Module">The module the packet is in.</param>
/// <param name="Port">The port it came in through.</param>
/// <param name="Verdict">What the module did with the packet (forward, drop, pass, punt...).</param>
/// <param name="Len">Frame length in bytes.</param>
/// <param name="Summary">The frame in one line, e.g. "10.0.0.1 > 10.0.0.2 ICMP echo request".</param>
public sealed record TraceEvent(
    ulong PacketId, int Hop, ulong TimestampNs, long DeltaNs, string Module, string Port, string Verdict, int Len, string Summary);
