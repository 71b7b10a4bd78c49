namespace IoVisor.Hover.Trace;

/// <summary>One hop of a traced packet, as GET /trace streams it.</summary>
/// <param name="PacketId">Same for every hop of one packet.</param>
/// <param name="Hop">Modules the packet had entered at this event.</param>
/// <param name="TimestampNs">CLOCK_MONOTONIC of the event.</param>
/// <param name="DeltaNs">Time since the packet's previous event (0 for its first).</param>
/// <param name="Module">The module (or its index when it is gone).</param>
/// <param name="Port">The port the event concerns: where it entered (rx) or left (forward).</param>
/// <param name="Verdict">rx, forward, drop, pass, punt, redirect or consumed.</param>
/// <param name="Len">Frame length.</param>
/// <param name="Summary">The frame's headers in one line.</param>
/// <param name="Netdev">forward to a netdev, or rx from one: its name.</param>
public sealed record TraceEventView(long PacketId, int Hop, long TimestampNs, long DeltaNs, string Module, string Port,
    string Verdict, int Len, string Summary, string? Netdev);
